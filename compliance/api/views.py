"""Compliance endpoints: the regulatory profile, Art. 6(3) claims, obligations, evidence
documents, the catalogue, the crosswalk, evidence packs and the posture per department.

Everything read is limited to the use cases the requester may see; an invisible row answers
404 like a missing one.
"""

import django_filters
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import attachments, evidence_pack, oscal, pack_render, selectors, services
from compliance.api import serializers as s
from compliance.choices import ClaimOutcome, Framework
from compliance.models import (
    ApplicationDate,
    Attachment,
    CrosswalkEntry,
    ExemptionClaim,
    Obligation,
    ObligationType,
    RegulatoryProfile,
)
from core.api.base import FlywheelViewSet, ReadOnlyFlywheelViewSet
from core.errors import ConflictError
from portfolio.selectors import use_case_visible_to


class ProfileFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")

    class Meta:
        model = RegulatoryProfile
        fields = ["act_role"]


class RegulatoryProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """The organisation's role under the AI Act per use case; recording it (or changing it)
    regenerates the use case's obligations."""

    queryset = RegulatoryProfile.objects.none()
    output_serializer_class = s.RegulatoryProfileSerializer
    input_serializers = {"create": s.ProfileInputSerializer}
    filterset_class = ProfileFilter

    def get_queryset(self):
        return selectors.profile_visible_to(user=self.request.user)

    @extend_schema(summary="Record the role under the Act (upsert); generates the obligations")
    def create(self, request):
        data = self.parse()
        existed = RegulatoryProfile.objects.filter(use_case=data["use_case"]).exists()
        profile = services.regulatory_profile_record(actor=request.user, **data)
        return self.respond(profile, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class ClaimFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")

    class Meta:
        model = ExemptionClaim
        fields = ["outcome"]


class ExemptionClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Art. 6(3) claims that an Annex III use case is not high risk. Every claim stays on the
    record; a refused one answers 409 with the refusal's code and the claim's id."""

    queryset = ExemptionClaim.objects.none()
    output_serializer_class = s.ExemptionClaimSerializer
    input_serializers = {"create": s.ClaimInputSerializer, "withdraw": s.WithdrawInputSerializer}
    filterset_class = ClaimFilter

    def get_queryset(self):
        return selectors.claim_visible_to(user=self.request.user)

    @extend_schema(summary="Claim the Art. 6(3) exemption (refused when the system profiles)")
    def create(self, request):
        claim = services.exemption_claim(actor=request.user, **self.parse())
        if claim.outcome == ClaimOutcome.REFUSED:
            code, _unused, message = claim.outcome_reason.partition(": ")
            raise ConflictError(message, code=code, extra={"claim": claim.pk})
        return self.respond(claim, status.HTTP_201_CREATED)

    @extend_schema(summary="Withdraw the standing exemption (a new row; the claim stays)")
    @action(detail=False, methods=["post"])
    def withdraw(self, request):
        claim = services.exemption_withdraw(actor=request.user, **self.parse())
        return self.respond(claim, status.HTTP_201_CREATED)


class ObligationFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")
    owner_id = django_filters.NumberFilter(field_name="owner_id")
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Obligation
        fields = ["status"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = queryset.filter(status__in=["open", "in_progress"], due_date__lt=today)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """The duties that apply to each use case, with owner, status, evidence and due date."""

    queryset = Obligation.objects.none()
    output_serializer_class = s.ObligationSerializer
    input_serializers = {"partial_update": s.ObligationInputSerializer}
    filterset_class = ObligationFilter
    ordering_fields = ["due_date", "id"]

    def get_queryset(self):
        return selectors.obligation_visible_to(user=self.request.user)

    @extend_schema(summary="Change owner, status, due date, evidence link or notes")
    def partial_update(self, request, pk=None):
        # The strict input serializer refuses unknown and read-only fields, and a body that
        # is not an object, with a 400 naming them.
        obligation = services.obligation_update(
            obligation=self.get_object(), actor=request.user, **self.parse(partial=True)
        )
        return self.respond(self.get_queryset().get(pk=obligation.pk))


class AttachmentFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")
    obligation_id = django_filters.NumberFilter(field_name="obligation_id")
    current = django_filters.BooleanFilter(field_name="superseded_by", lookup_expr="isnull")

    class Meta:
        model = Attachment
        fields = ["kind"]


def file_response(attachment: Attachment) -> FileResponse:
    """The stored document, as a download that no browser renders in the page."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name or f"document-{attachment.pk}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Evidence documents. Never changed or deleted: a new version names the one it
    supersedes. Served only to people who may read the use case."""

    queryset = Attachment.objects.none()
    output_serializer_class = s.AttachmentSerializer
    input_serializers = {"create": s.AttachmentInputSerializer}
    filterset_class = AttachmentFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.attachment_visible_to(user=self.request.user)

    @extend_schema(summary="Upload a document (multipart), or a new version of one")
    def create(self, request):
        attachment = attachments.attachment_upload(actor=request.user, **self.parse())
        return self.respond(self.get_queryset().get(pk=attachment.pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Download the document", responses={200: OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return file_response(self.get_object())


class ObligationTypeViewSet(ReadOnlyFlywheelViewSet):
    """The obligations catalogue (administrators edit it in the admin)."""

    queryset = ObligationType.objects.none()
    output_serializer_class = s.ObligationTypeSerializer

    def get_queryset(self):
        return self.role_holders_only(
            ObligationType.objects.select_related("application_date").order_by("code")
        )


class ApplicationDateViewSet(ReadOnlyFlywheelViewSet):
    """When each group of provisions applies, with its source."""

    queryset = ApplicationDate.objects.none()
    output_serializer_class = s.ApplicationDateSerializer

    def get_queryset(self):
        return self.role_holders_only(ApplicationDate.objects.all())


class CrosswalkViewSet(ReadOnlyFlywheelViewSet):
    """The crosswalk: Flywheel records -> ISO/IEC 42001 clauses and NIST AI RMF subcategories."""

    queryset = CrosswalkEntry.objects.none()
    output_serializer_class = s.CrosswalkEntrySerializer
    filterset_fields = ["framework", "evidence"]

    def get_queryset(self):
        return self.role_holders_only(CrosswalkEntry.objects.all())


class PackReaders(IsAuthenticated):
    message = "Evidence packs are for executives and administrators."

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.has_perm(
            "compliance.download_pack"
        )


class PackCSVRenderer(BaseRenderer):
    """The pack's CSV, already written by compliance.pack_render."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else b""


class EvidencePackView(APIView):
    """The evidence pack of one use case for one framework (``?format=csv`` for a CSV)."""

    permission_classes = [PackReaders]
    renderer_classes = [JSONRenderer, PackCSVRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON in the one error format, even when CSV was asked for.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and renderer is not None and renderer.format == "csv":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        summary="Evidence pack (executives and administrators)",
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv"], required=False),
        ],
        responses={200: s.EvidencePackSerializer},
    )
    def get(self, request, use_case_id: int, framework: str):
        if framework not in Framework.values:
            raise Http404(_("No such framework."))
        if not use_case_visible_to(user=request.user).filter(pk=use_case_id).exists():
            raise Http404(_("No such use case."))
        pack = evidence_pack.evidence_pack(use_case_id=use_case_id, framework=framework)
        if request.accepted_renderer.format == "csv":
            filename = pack_render.pack_filename(pack, "csv")
            return Response(
                pack_render.pack_csv(pack),
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
        data = s.EvidencePackSerializer(
            {**pack.__dict__, "gaps": pack.gaps, "rows": [r.__dict__ for r in pack.rows]}
        ).data
        return Response(data)


class OscalJSONRenderer(BaseRenderer):
    """The OSCAL document, already serialised by compliance-trestle."""

    media_type = "application/json"
    format = "oscal"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        return JSONRenderer().render(data, accepted_media_type, renderer_context)


class OscalResultsView(APIView):
    """A use case's obligations as OSCAL assessment results (JSON), validated by
    compliance-trestle's models as they are built."""

    permission_classes = [PackReaders]
    renderer_classes = [OscalJSONRenderer]

    @extend_schema(
        summary="OSCAL assessment results of a use case's obligations (executives, admins)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, use_case_id: int):
        if not use_case_visible_to(user=request.user).filter(pk=use_case_id).exists():
            raise Http404(_("No such use case."))
        return Response(
            oscal.assessment_results_json(use_case_id=use_case_id),
            headers={
                "Content-Disposition": f'attachment; filename="{oscal.filename(use_case_id)}"'
            },
        )


class PostureView(APIView):
    """The compliance posture per department: applicable, met, open and overdue obligations."""

    permission_classes = [PackReaders]

    @extend_schema(
        summary="Compliance posture per department", responses={200: s.PostureSerializer(many=True)}
    )
    def get(self, request):
        rows = selectors.posture_by_department(today=timezone.localdate())
        return Response(s.PostureSerializer(rows, many=True).data)
