"""Strict input: every input serializer refuses what it would otherwise ignore.

- a field the serializer does not know, or one it only renders (read-only), answers 400
  naming it ("state", "id", "department" on an edit, sign-off timestamps...);
- a number written with digits other than ASCII 0-9 (Arabic-Indic, full-width...) is refused:
  Python would read "١٢٣" as 123, a person reading the record would not;
- a text field without a bound of its own gets TEXT_MAX_LENGTH.
"""

from collections.abc import Mapping

from django.core.validators import MaxLengthValidator
from rest_framework import serializers

TEXT_MAX_LENGTH = 20_000
NUMERIC_FIELDS = (serializers.DecimalField, serializers.IntegerField, serializers.FloatField)
ASCII_NUMBER_CHARACTERS = frozenset("0123456789+-.eE ")


class StrictInputMixin:
    """Mixed into every input serializer (see tests/core/test_strict_input.py)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(
                    MaxLengthValidator(
                        TEXT_MAX_LENGTH,
                        message=f"Ensure this field has no more than {TEXT_MAX_LENGTH} characters.",
                    )
                )
        return fields

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = ["Unknown field; it is not accepted here."]
                elif field.read_only:
                    errors[name] = ["Read-only field; it cannot be written."]
                elif isinstance(field, NUMERIC_FIELDS) and _non_ascii_number(data[name]):
                    errors[name] = ["Write numbers with the digits 0-9."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _non_ascii_number(value) -> bool:
    return isinstance(value, str) and not set(value) <= ASCII_NUMBER_CHARACTERS


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """A plain input serializer that refuses unknown and read-only fields."""


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A model input serializer that refuses unknown and read-only fields."""
