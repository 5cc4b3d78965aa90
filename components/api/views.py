"""Components endpoints: components (with the use cases that share one), links to use cases,
incidents (append-only, corrected), the vendor questionnaire and assessments, the MLflow
link of a model, and the CycloneDX ML-BOM import.

Links and incidents are read only on use cases the requester may see."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from components import bom_jobs, mlflow_client, selectors, services
from components.api import serializers as s
from components.choices import ComponentKind, LinkRole
from components.models import (
    AssessmentQuestion,
    BomImportJob,
    Component,
    ComponentLink,
    Incident,
    VendorAssessment,
)
from core.api.base import AdministratorsWrite, FlywheelViewSet
from core.api.filtering import query_parameters_check
from core.roles import roles_of
from portfolio.selectors import use_case_visible_to


class ComponentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ComponentKind.choices)
    vendor_id = django_filters.NumberFilter(field_name="vendor_id")
    owner_id = django_filters.NumberFilter(field_name="owner_id")
    use_case_id = django_filters.NumberFilter(method="filter_use_case")
    personal_data = django_filters.BooleanFilter()
    assessment_status = django_filters.CharFilter()
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Component
        fields = []

    def filter_use_case(self, queryset, name, value):
        return queryset.filter(links__use_case_id=value).distinct()

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))


class ComponentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Models, datasets, vendors and agents; who uses them; their MLflow link."""

    queryset = Component.objects.none()
    output_serializer_class = s.ComponentSerializer
    input_serializers = {
        "create": s.ComponentInputSerializer,
        "partial_update": s.ComponentUpdateSerializer,
        "mlflow": s.MlflowLinkInputSerializer,
    }
    filterset_class = ComponentFilter

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return Component.objects.none()
        return self.role_holders_only(selectors.component_list())

    def filter_queryset(self, queryset):
        # The list's filters filter the list; a detail action reads its own parameters.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(summary="Register a component", responses={201: s.ComponentSerializer})
    def create(self, request):
        component = services.component_create(actor=request.user, **self.parse())
        return self.respond(self.get_queryset().get(pk=component.pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Change a component", responses={200: s.ComponentSerializer})
    def partial_update(self, request, pk=None):
        component = services.component_update(
            component=self.get_object(), actor=request.user, **self.parse(partial=True)
        )
        return self.respond(self.get_queryset().get(pk=component.pk))

    @extend_schema(
        summary="The use cases that use this component (a vendor: also through what it "
        "supplies); personal_data=true keeps datasets with personal data",
        parameters=[OpenApiParameter("personal_data", bool)],
        responses={200: s.LinkSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], url_path="use-cases")
    def use_cases(self, request, pk=None):
        query_parameters_check(request.query_params, ["personal_data"])
        personal = request.query_params.get("personal_data") in ("true", "1")
        links = selectors.links_sharing(
            component=self.get_object(), user=request.user, personal_data_only=personal
        )
        return Response(s.LinkSerializer(links, many=True).data)

    @extend_schema(
        summary="Link the model to a registered MLflow model version (fetched at once)",
        responses={200: s.MlflowLinkSerializer},
    )
    @action(detail=True, methods=["post"])
    def mlflow(self, request, pk=None):
        link = mlflow_client.mlflow_link_set(
            component=self.get_object(), actor=request.user, **self.parse()
        )
        return Response(s.MlflowLinkSerializer(link).data)

    @extend_schema(
        summary="Fetch the linked MLflow version's run metrics again",
        request=None,
        responses={200: s.MlflowLinkSerializer},
    )
    @action(detail=True, methods=["post"], url_path="mlflow/fetch")
    def mlflow_fetch(self, request, pk=None):
        component = self.get_object()
        link = getattr(component, "mlflow_link", None)
        if link is None:
            from core.errors import ConflictError

            raise ConflictError(_("The model is not linked to an MLflow version."), code="no_link")
        return Response(s.MlflowLinkSerializer(mlflow_client.mlflow_fetch(link=link)).data)


class LinkFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")
    component_id = django_filters.NumberFilter(field_name="component_id")
    role = django_filters.ChoiceFilter(choices=LinkRole.choices)
    kind = django_filters.ChoiceFilter(field_name="component__kind", choices=ComponentKind.choices)

    class Meta:
        model = ComponentLink
        fields = []


class ComponentLinkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, FlywheelViewSet
):
    """Which component each use case uses, and in what role."""

    queryset = ComponentLink.objects.none()
    output_serializer_class = s.LinkSerializer
    input_serializers = {"create": s.LinkInputSerializer}
    filterset_class = LinkFilter

    def get_queryset(self):
        return selectors.link_visible_to(user=self.request.user)

    @extend_schema(summary="Link a component to a use case", responses={201: s.LinkSerializer})
    def create(self, request):
        link = services.component_link(actor=request.user, **self.parse())
        return self.respond(self.get_queryset().get(pk=link.pk), status.HTTP_201_CREATED)

    @extend_schema(summary="Unlink (the change history keeps the link)", responses={204: None})
    def destroy(self, request, pk=None):
        services.component_unlink(link=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IncidentFilter(django_filters.FilterSet):
    use_case_id = django_filters.NumberFilter(field_name="use_case_id")
    serious = django_filters.BooleanFilter()
    reported_by_id = django_filters.NumberFilter(field_name="reported_by_id")

    class Meta:
        model = Incident
        fields = []


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """The incident register: each incident as it stands, with its Art. 73 / Art. 26(5)
    clocks; rows are never edited, a correction supersedes."""

    queryset = Incident.objects.none()
    output_serializer_class = s.IncidentSerializer
    input_serializers = {
        "create": s.IncidentInputSerializer,
        "correct": s.IncidentCorrectionSerializer,
    }
    filterset_class = IncidentFilter
    # A correction may name any row of the incident (the latest or an older one: 409).
    lookup_value_regex = r"[0-9]+"
    personal_actions = ("create", "correct")

    def get_queryset(self):
        return selectors.incidents_visible_to(user=self.request.user)

    @extend_schema(summary="Report an incident", responses={201: s.IncidentSerializer})
    def create(self, request):
        incident = services.incident_report(actor=request.user, **self.parse())
        return self.respond(incident, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct an incident (a new row superseding this one, with the reason)",
        responses={201: s.IncidentSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        incident = Incident.objects.filter(
            use_case__in=use_case_visible_to(user=request.user), pk=pk
        ).first()
        if incident is None:
            from core.errors import NotFoundError

            raise NotFoundError(_("No incident row %(pk)s.") % {"pk": pk})
        data = self.parse()
        corrected = services.incident_correct(
            incident=incident, actor=request.user, reason=data.pop("reason"), **data
        )
        return self.respond(corrected, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Every row of the incident, first report first",
        responses={200: s.IncidentSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        rows = selectors.incident_history(incident=self.get_object())
        return Response(s.IncidentSerializer(rows, many=True).data)


class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """The vendor assessment questionnaire (administrators write)."""

    queryset = AssessmentQuestion.objects.all()
    permission_classes = [*FlywheelViewSet.permission_classes, AdministratorsWrite]
    output_serializer_class = s.QuestionSerializer
    input_serializers = {"create": s.QuestionInputSerializer}

    @extend_schema(summary="Add a question", responses={201: s.QuestionSerializer})
    def create(self, request):
        question = AssessmentQuestion.objects.create(**self.parse())
        return self.respond(question, status.HTTP_201_CREATED)


class AssessmentFilter(django_filters.FilterSet):
    vendor_id = django_filters.NumberFilter(field_name="vendor_id")
    passed = django_filters.BooleanFilter()

    class Meta:
        model = VendorAssessment
        fields = []


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Vendor assessments: the questionnaire answered, the score, passed or not."""

    queryset = VendorAssessment.objects.none()
    output_serializer_class = s.AssessmentSerializer
    input_serializers = {"create": s.AssessmentInputSerializer}
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return self.role_holders_only(VendorAssessment.objects.select_related("vendor"))

    @extend_schema(summary="Record a vendor's assessment", responses={201: s.AssessmentSerializer})
    def create(self, request):
        assessment = services.vendor_assessment_record(actor=request.user, **self.parse())
        return self.respond(assessment, status.HTTP_201_CREATED)


class BomImportViewSet(mixins.RetrieveModelMixin, FlywheelViewSet):
    """CycloneDX ML-BOM import (JSON, spec 1.6+), with a dry run, run as a job: the upload
    answers 202 with the job; the job's address tells where it is and, once finished, the
    validator's message and path or the report."""

    queryset = BomImportJob.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    input_serializers = {"create": s.BomImportInputSerializer}
    output_serializer_class = s.BomJobSerializer

    def get_queryset(self):
        # Someone else's job is not found (404), as an unknown one.
        jobs = BomImportJob.objects.defer("content")
        if roles_of(self.request.user).is_admin:
            return jobs
        return jobs.filter(created_by=self.request.user)

    @extend_schema(
        summary="Upload a CycloneDX ML-BOM (multipart: file, use_case, dry_run); a job "
        "validates, plans and imports it",
        request={"multipart/form-data": s.BomImportInputSerializer},
        responses={202: s.BomJobSerializer},
    )
    def create(self, request):
        data = self.parse()
        upload = data["file"]
        job = bom_jobs.bom_job_create(
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            use_case=data.get("use_case"),
            dry_run=data["dry_run"],
        )
        response = self.respond(job, status.HTTP_202_ACCEPTED)
        response["Location"] = response.data["url"]
        return response

    @extend_schema(summary="An ML-BOM upload's job: progress, then the error or the report")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
