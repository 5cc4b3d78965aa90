"""Input and output of the inventory endpoints."""

import json

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api.filtering import QueryParameters
from core.api.strict import StrictSerializer
from inventory.mapping import DATE_ORDERS
from inventory.models import ImportJob, ImportMapping
from inventory.template import BY_KEY

FORMATS = (("xlsx", "Excel .xlsx"), ("csv", "CSV (UTF-8)"))


class TemplateFieldChoice(serializers.ChoiceField):
    """A template field, or '' (ignored). The choices are read whenever a serializer is made
    (DRF copies its fields by calling this again), so they include the use case columns
    other apps register after this module is imported (inventory.extra_columns)."""

    def __init__(self, **kwargs):
        super().__init__(choices=["", *sorted(BY_KEY)], **kwargs)


class MappingInputMixin(serializers.Serializer):
    """What the person chooses about a register: every field optional (found or suggested)."""

    create_departments = serializers.BooleanField(required=False)
    create_people = serializers.BooleanField(
        required=False, help_text="Create the people no e-mail, user name or name matches."
    )
    month_first = serializers.BooleanField(
        required=False, help_text="Every numeric date is month first (03/31/2024)."
    )
    sheet = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="The sheet (tab) to read."
    )
    header_row = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000000,
        help_text="The row (1 = the first) that holds the headers.",
    )  # fmt: skip
    mapping = serializers.DictField(
        child=TemplateFieldChoice(allow_blank=True),
        required=False,
        help_text="Column (its header, or its letter) -> field; '' ignores the column. "
        "Columns not named keep their suggestion.",
    )
    date_orders = serializers.DictField(
        child=serializers.ChoiceField(choices=DATE_ORDERS),
        required=False,
        help_text="Column -> 'dmy' (day first) or 'mdy' (month first), for dates like 03/04/2025.",
    )
    department = serializers.CharField(
        required=False, allow_blank=True, max_length=120,
        help_text="The department of rows without one.",
    )  # fmt: skip
    mapping_name = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text="Start from a saved mapping."
    )
    save_mapping_as = serializers.CharField(
        required=False, allow_blank=True, max_length=120,
        help_text="Keep this dry run's mapping under this name.",
    )  # fmt: skip


class JsonInFormMixin:
    """The mapping and date orders as JSON text in a multipart upload."""

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            data = {key: data.get(key) for key in data}
        data = dict(data)
        for name in ("mapping", "date_orders"):
            if isinstance(data.get(name), str):
                try:
                    data[name] = json.loads(data[name]) if data[name].strip() else {}
                except ValueError:
                    raise serializers.ValidationError({name: [_("Not valid JSON.")]}) from None
        return super().to_internal_value(data)


class ImportInputSerializer(JsonInFormMixin, StrictSerializer, MappingInputMixin):
    file = serializers.FileField(
        allow_empty_file=True, help_text="CSV or .xlsx: the template, or a register of your own."
    )
    dry_run = serializers.BooleanField(default=True, help_text="Check only (the default).")


class RemapInputSerializer(StrictSerializer, MappingInputMixin):
    """A new choice for a checked job: its dry run runs again."""


class ImportMappingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportMapping
        fields = ["name", "sheet", "header_row", "columns", "date_orders", "department",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class ExportInputSerializer(QueryParameters):
    file_format = serializers.ChoiceField(choices=FORMATS, default="xlsx")
    department = serializers.IntegerField(required=False, min_value=1)


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "filename",
            "status",
            "stage",
            "rows_done",
            "rows_total",
            "percent",
            "options",
            "report",
            "created_at",
            "applied_at",
        ]
        read_only_fields = fields
