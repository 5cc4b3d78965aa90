"""English pages keep the dates they always had (ISO 8601, as the packs and the API write
them); German and French take Django's formats for their locale (d.m.Y, d/m/Y)."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
