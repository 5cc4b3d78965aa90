"""Components serializers: output serializers render; input serializers only parse shape.
Related rows in input are looked up in what the requesting person may see."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from components.bom_jobs import STEPS
from components.choices import Autonomy, ComponentKind, LinkRole, OrganisationRole
from components.clocks import clocks_of
from components.mlflow_client import LINK_FIELDS
from components.models import (
    AssessmentQuestion,
    BomImportJob,
    Component,
    ComponentLink,
    Incident,
    MlflowLink,
    VendorAssessment,
)
from components.services import INCIDENT_FIELDS
from core.api.strict import StrictSerializer
from portfolio.api.fields import ActiveUserField, VisibleUseCaseField


@extend_schema_field(OpenApiTypes.INT)
class VendorField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Component.objects.filter(kind=ComponentKind.VENDOR)


@extend_schema_field(OpenApiTypes.INT)
class ComponentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Component.objects.all()


class MlflowLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = MlflowLink
        fields = list(LINK_FIELDS)


class ComponentSerializer(serializers.ModelSerializer):
    use_case_count = serializers.IntegerField(read_only=True, default=None)
    vendor_name = serializers.CharField(
        source="vendor.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Component
        fields = [
            "id",
            "kind",
            "name",
            "version",
            "description",
            "owner",
            "licence",
            "vendor",
            "vendor_name",
            "model_card",
            "model_card_url",
            "source",
            "personal_data",
            "country",
            "contract",
            "dpa_signed",
            "assessment_status",
            "tools",
            "autonomy",
            "bom_serial",
            "bom_ref",
            "use_case_count",
            "created_at",
            "updated_at",
        ]


class ComponentInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ComponentKind.choices)
    name = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = ActiveUserField(required=False, allow_null=True)
    licence = serializers.CharField(max_length=120, required=False, allow_blank=True)
    vendor = VendorField(required=False, allow_null=True)
    model_card = serializers.JSONField(required=False)
    model_card_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    personal_data = serializers.BooleanField(required=False, allow_null=True)
    country = serializers.RegexField(r"^[A-Z]{2}$", required=False, allow_blank=True)
    contract = serializers.CharField(max_length=300, required=False, allow_blank=True)
    dpa_signed = serializers.BooleanField(required=False, allow_null=True)
    tools = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=200
    )
    autonomy = serializers.ChoiceField(choices=Autonomy.choices, required=False, allow_blank=True)


class ComponentUpdateSerializer(ComponentInputSerializer):
    kind = None


class LinkSerializer(serializers.ModelSerializer):
    component_name = serializers.CharField(source="component.name", read_only=True)
    component_kind = serializers.CharField(source="component.kind", read_only=True)
    use_case_title = serializers.CharField(source="use_case.title", read_only=True)

    class Meta:
        model = ComponentLink
        fields = [
            "id",
            "use_case",
            "use_case_title",
            "component",
            "component_name",
            "component_kind",
            "role",
            "note",
            "created_by",
            "created_at",
        ]


class LinkInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    component = ComponentField()
    role = serializers.ChoiceField(choices=LinkRole.choices)
    note = serializers.CharField(max_length=240, required=False, allow_blank=True)


class ClockSerializer(serializers.Serializer):
    duty = serializers.CharField()
    article = serializers.CharField()
    due_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()


class IncidentSerializer(serializers.ModelSerializer):
    clocks = serializers.SerializerMethodField()
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "use_case",
            *INCIDENT_FIELDS,
            "reported_by",
            "recorded_at",
            "supersedes",
            "correction_reason",
            "clocks",
        ]

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, incident) -> list[dict]:
        at = self.context.get("at")
        from django.utils import timezone

        at = at or timezone.now()
        return [
            {
                "duty": c.duty,
                "article": c.article,
                "due_at": c.due_at,
                "done_at": c.done_at,
                "status": c.status(at),
            }
            for c in clocks_of(incident)
        ]


class IncidentInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField()
    aware_at = serializers.DateTimeField(required=False)
    serious = serializers.BooleanField(required=False, default=False)
    death = serializers.BooleanField(required=False, default=False)
    widespread = serializers.BooleanField(required=False, default=False)
    organisation_role = serializers.ChoiceField(
        choices=OrganisationRole.choices, required=False, default=OrganisationRole.DEPLOYER
    )
    authority_reported_at = serializers.DateTimeField(required=False, allow_null=True)
    provider_informed_at = serializers.DateTimeField(required=False, allow_null=True)


class IncidentCorrectionSerializer(StrictSerializer):
    reason = serializers.CharField()
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField(required=False)
    aware_at = serializers.DateTimeField(required=False)
    serious = serializers.BooleanField(required=False)
    death = serializers.BooleanField(required=False)
    widespread = serializers.BooleanField(required=False)
    organisation_role = serializers.ChoiceField(choices=OrganisationRole.choices, required=False)
    authority_reported_at = serializers.DateTimeField(required=False, allow_null=True)
    provider_informed_at = serializers.DateTimeField(required=False, allow_null=True)


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentQuestion
        fields = ["id", "text", "help_text", "weight", "position", "active"]


class QuestionInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=300)
    help_text = serializers.CharField(max_length=300, required=False, allow_blank=True)
    weight = serializers.IntegerField(min_value=0, max_value=100, required=False, default=1)
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    active = serializers.BooleanField(required=False, default=True)


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = VendorAssessment
        fields = [
            "id",
            "vendor",
            "answers",
            "score",
            "passed",
            "assessed_by",
            "assessed_at",
            "note",
        ]


class AssessmentInputSerializer(StrictSerializer):
    vendor = VendorField()
    answers = serializers.DictField(child=serializers.BooleanField())
    note = serializers.CharField(required=False, allow_blank=True)


class MlflowLinkInputSerializer(StrictSerializer):
    tracking_url = serializers.CharField(max_length=300)
    model_name = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    alias = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class BomImportInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField(required=False, allow_null=True)
    file = serializers.FileField()
    dry_run = serializers.BooleanField(required=False, default=False)


class BomJobSerializer(serializers.ModelSerializer):
    """An uploaded ML-BOM's job: where it is, then the validator's error or the report."""

    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    steps = serializers.SerializerMethodField()
    finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = BomImportJob
        fields = [
            "id", "url", "page", "filename", "use_case", "dry_run", "status", "status_label",
            "finished", "step", "steps", "stage", "error", "report", "created_at",
            "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, job) -> str:
        return bom_job_urls(job)["url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, job) -> str:
        return bom_job_urls(job)["page"]

    def get_steps(self, job) -> int:
        return len(STEPS)


def bom_job_urls(job) -> dict:
    """The job's API address and its page (the console's; staff also have the admin's)."""
    from django.urls import reverse

    return {
        "url": reverse("components-api:bom-detail", args=[job.pk]),
        "page": reverse("bom-job", args=[job.pk]),
    }
