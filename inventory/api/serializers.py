"""Input and output of the inventory endpoints."""

from rest_framework import serializers

from core.api.strict import StrictSerializer
from inventory.models import ImportJob

FORMATS = (("xlsx", "Excel .xlsx"), ("csv", "CSV (UTF-8)"))


class ImportInputSerializer(StrictSerializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="CSV or .xlsx in the inventory template."
    )
    dry_run = serializers.BooleanField(default=True, help_text="Check only (the default).")
    create_departments = serializers.BooleanField(default=False)
    create_people = serializers.BooleanField(default=False)
    month_first = serializers.BooleanField(default=False, help_text="US dates: 03/31/2024.")


class ExportInputSerializer(serializers.Serializer):
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
