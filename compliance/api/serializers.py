"""Compliance serializers: output serializers render; input serializers only parse shape.
Related rows in input are looked up in what the requesting person may see."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.choices import ActRole, AttachmentKind, ExemptionCondition, ObligationStatus
from compliance.models import (
    ApplicationDate,
    Attachment,
    CrosswalkEntry,
    ExemptionClaim,
    Obligation,
    ObligationType,
    RegulatoryProfile,
)
from compliance.selectors import attachment_visible_to, obligation_visible_to
from core.api.strict import StrictSerializer
from portfolio.api.fields import ActiveUserField, VisibleUseCaseField, _request_user


class ApplicationDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationDate
        fields = [
            "id",
            "key",
            "provision",
            "applies_from",
            "original_date",
            "amended_by",
            "amended_by_url",
            "source",
            "source_url",
            "verification",
            "note",
        ]


class ObligationTypeSerializer(serializers.ModelSerializer):
    application_date = ApplicationDateSerializer()

    class Meta:
        model = ObligationType
        fields = [
            "id",
            "code",
            "article",
            "title",
            "description",
            "tiers",
            "roles",
            "condition",
            "legal_act",
            "application_date",
            "due_when",
            "lead_days",
            "source",
            "source_url",
            "active",
        ]


class RegulatoryProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegulatoryProfile
        fields = [
            "id",
            "use_case",
            "act_role",
            "fria_scope",
            "interacts_with_people",
            "generates_synthetic_content",
            "emotion_or_biometric",
            "deep_fake_or_public_text",
            "decides_about_people",
            "public_authority",
            "updated_at",
            "updated_by",
        ]


class ProfileInputSerializer(StrictSerializer):
    """The role and the facts, each asked on its own; an unknown field is a 400 naming it."""

    use_case = VisibleUseCaseField()
    act_role = serializers.ChoiceField(choices=ActRole.choices)
    fria_scope = serializers.BooleanField(required=False, default=False)
    interacts_with_people = serializers.BooleanField(
        required=False, help_text="Art. 50(1): interacts directly with natural persons."
    )
    generates_synthetic_content = serializers.BooleanField(
        required=False, help_text="Art. 50(2): generates synthetic audio, image, video or text."
    )
    emotion_or_biometric = serializers.BooleanField(
        required=False, help_text="Art. 50(3): emotion recognition or biometric categorisation."
    )
    deep_fake_or_public_text = serializers.BooleanField(
        required=False,
        help_text="Art. 50(4): deep fakes, or text published on matters of public interest.",
    )
    decides_about_people = serializers.BooleanField(
        required=False,
        help_text="Art. 26(11), Art. 86: makes or assists decisions related to natural persons.",
    )
    public_authority = serializers.BooleanField(
        required=False,
        help_text="Art. 26(8): the deployer is a public authority (registration, Art. 49(3)).",
    )


class ExemptionClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExemptionClaim
        fields = [
            "id",
            "use_case",
            "condition",
            "reasoning",
            "profiles_people",
            "outcome",
            "outcome_reason",
            "claimed_by",
            "claimed_at",
        ]


class ClaimInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    condition = serializers.ChoiceField(choices=ExemptionCondition.choices)
    reasoning = serializers.CharField()
    profiles_people = serializers.BooleanField()


class WithdrawInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    reason = serializers.CharField()


class ObligationSerializer(serializers.ModelSerializer):
    article = serializers.CharField(source="obligation_type.article")
    title = serializers.CharField(source="obligation_type.title")
    source = serializers.CharField(source="obligation_type.source")
    applies_from = serializers.DateField(source="obligation_type.application_date.applies_from")
    legal_act = serializers.CharField(source="obligation_type.legal_act")
    due_when = serializers.CharField(source="obligation_type.due_when")

    class Meta:
        model = Obligation
        fields = [
            "id",
            "use_case",
            "obligation_type",
            "article",
            "title",
            "source",
            "applies_from",
            "legal_act",
            "due_when",
            "owner",
            "status",
            "due_date",
            "evidence_link",
            "notes",
            "met_at",
            "updated_at",
        ]


class ObligationInputSerializer(StrictSerializer):
    owner = ActiveUserField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=[
            (s.value, s.label) for s in ObligationStatus if s != ObligationStatus.NOT_APPLICABLE
        ],
        required=False,
    )
    due_date = serializers.DateField(required=False)
    evidence_link = serializers.URLField(required=False, allow_blank=True, max_length=500)
    notes = serializers.CharField(required=False, allow_blank=True)


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()
    superseded_by = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "use_case",
            "obligation",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "version",
            "supersedes",
            "superseded_by",
            "uploaded_by",
            "uploaded_at",
            "download",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, attachment) -> str:
        return reverse("compliance-api:attachment-download", args=[attachment.pk])

    @extend_schema_field(OpenApiTypes.INT)
    def get_superseded_by(self, attachment):
        successor = getattr(attachment, "superseded_by", None)
        return successor.pk if successor else None


@extend_schema_field(OpenApiTypes.INT)
class VisibleObligationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return obligation_visible_to(user=_request_user(self))


@extend_schema_field(OpenApiTypes.INT)
class VisibleAttachmentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return attachment_visible_to(user=_request_user(self))


class AttachmentInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    file = serializers.FileField(
        help_text="Size and types are limited (FLYWHEEL_ATTACHMENT_MAX_BYTES, "
        "FLYWHEEL_ATTACHMENT_TYPES; by default 10 MB of pdf, png, jpg, docx, xlsx, txt, csv, md)."
    )
    kind = serializers.ChoiceField(choices=AttachmentKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    obligation = VisibleObligationField(required=False, allow_null=True)
    supersedes = VisibleAttachmentField(required=False, allow_null=True)

    def validate(self, attrs):
        if not attrs.get("kind") and not attrs.get("supersedes"):
            raise serializers.ValidationError({"kind": [_("Say what kind of document this is.")]})
        attrs.setdefault("kind", "")
        return attrs


class CrosswalkEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CrosswalkEntry
        fields = ["id", "framework", "reference", "title", "evidence", "explanation"]


class PackItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    link = serializers.CharField()
    at = serializers.CharField(allow_null=True)
    evidence = serializers.ListField(child=serializers.CharField())


class MetObligationSerializer(serializers.Serializer):
    article = serializers.CharField()
    title = serializers.CharField()
    met_at = serializers.DateTimeField(allow_null=True)
    evidence = serializers.ListField(child=serializers.CharField())


class PackRowSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    evidence = serializers.CharField()
    evidence_label = serializers.CharField()
    explanation = serializers.CharField()
    items = PackItemSerializer(many=True)
    gap = serializers.CharField()


class EvidencePackSerializer(serializers.Serializer):
    framework = serializers.CharField()
    framework_label = serializers.CharField()
    use_case_id = serializers.IntegerField()
    use_case_title = serializers.CharField()
    generated_at = serializers.DateTimeField()
    gaps = serializers.IntegerField()
    rows = PackRowSerializer(many=True)
    met = MetObligationSerializer(many=True)


class PostureSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    obligations = serializers.IntegerField()
    met = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    posture = serializers.FloatField(allow_null=True)
