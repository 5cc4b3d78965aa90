"""Portfolio endpoints: thin viewsets over role-scoped selectors; every write calls a service."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api.base import AdministratorsWrite, FlywheelViewSet, ReadOnlyFlywheelViewSet
from core.api.fast import ValueRows
from portfolio import selectors, services
from portfolio.api import filters, lessons
from portfolio.api import serializers as s
from portfolio.api import serializers_evidence as e
from portfolio.api.custom_filters import wants_custom_filters, with_custom_filters
from portfolio.api.exports import use_case_csv_rows
from portfolio.api.history import HistoryMixin
from portfolio.api.velocity import DiagnosticMixin
from portfolio.models import (
    Artifact,
    DataGap,
    Department,
    Membership,
    Metric,
    Notification,
    TransitionRecord,
    UseCase,
)

User = get_user_model()


def visible_use_cases(request):
    return selectors.use_case_visible_to(user=request.user)


# --- people ---------------------------------------------------------------------------------


class DepartmentViewSet(mixins.CreateModelMixin, ReadOnlyFlywheelViewSet):
    """Departments: everyone reads them; administrators create them."""

    permission_classes = [IsAuthenticated, AdministratorsWrite]
    queryset = Department.objects.none()
    output_serializer_class = s.DepartmentSerializer
    input_serializers = {"create": s.DepartmentInputSerializer}
    filterset_class = filters.DepartmentFilter
    ordering_fields = ["name", "slug", "id"]

    def get_queryset(self):
        return self.role_holders_only(Department.objects.all())

    def get_serializer_class(self):
        return FlywheelViewSet.get_serializer_class(self)

    def create(self, request, *args, **kwargs):
        department = services.department_create(**self.parse())
        return self.respond(department, status.HTTP_201_CREATED)


class PersonViewSet(ReadOnlyFlywheelViewSet):
    """People and their department roles (read)."""

    queryset = User.objects.none()

    output_serializer_class = s.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["username", "last_name", "id"]

    def get_queryset(self):
        people = User.objects.filter(is_active=True).prefetch_related("memberships")
        return self.role_holders_only(people.order_by("username"))


class MembershipViewSet(mixins.CreateModelMixin, ReadOnlyFlywheelViewSet):
    """Who holds which role in which department; administrators set roles."""

    permission_classes = [IsAuthenticated, AdministratorsWrite]
    queryset = Membership.objects.none()
    output_serializer_class = s.MembershipSerializer
    input_serializers = {"create": s.MembershipInputSerializer}
    filterset_class = filters.MembershipFilter
    ordering_fields = ["id", "role"]

    def get_queryset(self):
        return self.role_holders_only(Membership.objects.select_related("user", "department"))

    def get_serializer_class(self):
        return FlywheelViewSet.get_serializer_class(self)

    def create(self, request, *args, **kwargs):
        membership = services.membership_set(**self.parse())
        return self.respond(membership, status.HTTP_201_CREATED)


# --- use cases ------------------------------------------------------------------------------

USE_CASE_EXAMPLE = OpenApiExample(
    "A new draft",
    request_only=True,
    value={
        "department": 1,
        "title": "Claims triage assistant",
        "problem_statement": "Claims take nine days to settle.",
        "origin": "bottom_up",
        "horizon": "short",
        "knowledge": "facts",
        "build_cost": "100000.00",
        "run_cost_yearly": "20000.00",
        "expected_benefit_yearly": "240000.00",
    },
)
ILLEGAL_TRANSITION_EXAMPLE = OpenApiExample(
    "Illegal transition",
    response_only=True,
    status_codes=["409"],
    value={
        "code": "illegal_transition",
        "message": "'submit' is not allowed while the use case is pilot; allowed now: hold, kill.",
        "state": "pilot",
        "allowed_transitions": ["hold", "kill"],
    },
)
INVALID_EXAMPLE = OpenApiExample(
    "Incomplete intake",
    response_only=True,
    status_codes=["400"],
    value={
        "code": "invalid",
        "message": "The input is not valid.",
        "fields": {"sponsor": ["Name the sponsor (an executive)."]},
    },
)


def lifecycle_schema(summary: str, request=s.ReasonSerializer):
    return extend_schema(
        summary=summary,
        request=request,
        responses={200: s.UseCaseSerializer},
        examples=[ILLEGAL_TRANSITION_EXAMPLE, INVALID_EXAMPLE],
    )


class UseCaseViewSet(
    DiagnosticMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    FlywheelViewSet,
):
    """Use cases with their intake. The state changes only through the lifecycle actions
    (and gate decisions); ``available_transitions`` lists what the requester may do now."""

    queryset = UseCase.objects.none()
    personal_actions = frozenset({"sign_off"})
    output_serializer_class = s.UseCaseSerializer
    input_serializers = {
        "create": s.UseCaseCreateSerializer,
        "partial_update": s.UseCaseUpdateSerializer,
        "submit": s.ReasonSerializer,
        "hold": s.ReasonSerializer,
        "resume": s.ReasonSerializer,
        "kill": lessons.KillSerializer,
        "retire": lessons.RetireSerializer,
        "sign_off": s.SignOffSerializer,
    }
    list_rows = ValueRows(
        UseCase,
        related={"department": ["name"]},
        properties=("expected_roi", "realised_roi", "payback_months"),
    )
    ordering_fields = [
        "id",
        "title",
        "state",
        "created_at",
        "submitted_at",
        "state_changed_at",
        "build_cost",
        "expected_benefit_yearly",
    ]

    @property
    def filterset_class(self):
        """The list's filters, with the organisation's own fields when they are asked for."""
        if wants_custom_filters(self, filters.UseCaseFilter):
            return with_custom_filters(filters.UseCaseFilter)
        return filters.UseCaseFilter

    def get_queryset(self):
        # Only the department is rendered (people and the template by id): one join.
        return selectors.use_case_visible_to(user=self.request.user).select_related("department")

    def csv_rows(self, queryset):
        return use_case_csv_rows(queryset, user=self.request.user)

    @extend_schema(examples=[USE_CASE_EXAMPLE, INVALID_EXAMPLE])
    def create(self, request):
        data = self.parse()
        use_case = services.use_case_intake_save(
            actor=request.user,
            department=data.pop("department"),
            custom=data.pop("custom", None),
            intake=data,
        )
        return self.respond(use_case, status.HTTP_201_CREATED)

    @extend_schema(summary="Edit the intake (while draft) or the living fields (after)")
    def partial_update(self, request, pk=None):
        data = self.parse(partial=True)
        use_case = services.use_case_intake_save(
            actor=request.user,
            use_case=self.get_object(),
            custom=data.pop("custom", None),
            intake=data,
        )
        return self.respond(use_case)

    @extend_schema(summary="Delete a draft (anything submitted stays on the record)")
    def destroy(self, request, pk=None):
        services.use_case_delete_draft(actor=request.user, use_case=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, service, **kwargs):
        use_case = service(use_case=self.get_object(), actor=self.request.user, **kwargs)
        return self.respond(use_case)

    @lifecycle_schema("Submit a draft whose intake is complete", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(services.use_case_submit)

    @lifecycle_schema("Put the use case on hold")
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._transition(services.use_case_hold, **self.parse())

    @lifecycle_schema("Resume to the stage it was held from")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._transition(services.use_case_resume, **self.parse())

    @lifecycle_schema(
        "Kill the use case (terminal; a reason and a lesson are required)", lessons.KillSerializer
    )
    @action(detail=True, methods=["post"])
    def kill(self, request, pk=None):
        return self._transition(
            services.use_case_kill, **lessons.KillSerializer.lesson_of(self.parse())
        )

    @lifecycle_schema("Retire a live use case (a lesson is required)", lessons.RetireSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self._transition(
            services.use_case_retire, **lessons.RetireSerializer.lesson_of(self.parse())
        )

    @extend_schema(
        summary="Sign off the joint definition of success (as sponsor or operator)",
        request=s.SignOffSerializer,
        responses={200: s.UseCaseSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        return self._transition(services.use_case_sign_off, **self.parse())


class TransitionViewSet(ReadOnlyFlywheelViewSet):
    """The append-only transition record of every visible use case."""

    queryset = TransitionRecord.objects.none()
    output_serializer_class = s.TransitionRecordSerializer
    filterset_class = filters.TransitionFilter
    ordering_fields = ["at", "id"]

    def get_queryset(self):
        records = TransitionRecord.objects.select_related("actor", "authorisation_type")
        if selectors.sees_everything(self.request.user):
            return records
        return records.filter(use_case__in=visible_use_cases(self.request))


# --- metrics, readings, gaps, artifacts -----------------------------------------------------


class MetricViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    FlywheelViewSet,
):
    """Business and technical metrics; baselines and targets are read-only once locked."""

    queryset = Metric.objects.none()
    output_serializer_class = e.MetricSerializer
    input_serializers = {
        "create": e.MetricCreateSerializer,
        "partial_update": e.MetricUpdateSerializer,
    }
    filterset_class = filters.MetricFilter
    ordering_fields = ["id", "name", "created_at"]

    def get_queryset(self):
        return Metric.objects.filter(use_case__in=visible_use_cases(self.request)).select_related(
            "use_case"
        )

    def create(self, request):
        data = self.parse()
        metric = services.metric_create(
            actor=request.user,
            use_case=data.pop("use_case"),
            name=data.pop("name"),
            unit=data.pop("unit"),
            **data,
        )
        return self.respond(metric, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        metric = services.metric_update(
            actor=request.user, metric=self.get_object(), **self.parse(partial=True)
        )
        return self.respond(metric)

    def destroy(self, request, pk=None):
        services.metric_delete(actor=request.user, metric=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class DataGapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Gaps between what the plan assumes and what exists, with the work that closes them."""

    queryset = DataGap.objects.none()
    output_serializer_class = e.DataGapSerializer
    input_serializers = {
        "create": e.DataGapCreateSerializer,
        "partial_update": e.DataGapUpdateSerializer,
    }
    filterset_class = filters.DataGapFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return DataGap.objects.filter(use_case__in=visible_use_cases(self.request))

    def create(self, request):
        data = self.parse()
        gap = services.data_gap_create(
            actor=request.user,
            use_case=data.pop("use_case"),
            description=data.pop("description"),
            **data,
        )
        return self.respond(gap, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        gap = services.data_gap_update(
            actor=request.user, gap=self.get_object(), **self.parse(partial=True)
        )
        return self.respond(gap)

    def destroy(self, request, pk=None):
        services.data_gap_delete(actor=request.user, gap=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArtifactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Scale memo and integration plan; POST writes the one of its kind (draft or final)."""

    queryset = Artifact.objects.none()
    output_serializer_class = e.ArtifactSerializer
    input_serializers = {"create": e.ArtifactInputSerializer}
    filterset_class = filters.ArtifactFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return Artifact.objects.filter(use_case__in=visible_use_cases(self.request))

    def create(self, request):
        artifact = services.artifact_save(actor=request.user, **self.parse())
        return self.respond(artifact, status.HTTP_201_CREATED)


# --- notifications --------------------------------------------------------------------------


class NotificationViewSet(ReadOnlyFlywheelViewSet):
    """The requester's own notifications. Marking one read is personal, not a portfolio
    change, so executives may do it too."""

    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()
    output_serializer_class = e.NotificationSerializer
    filterset_class = filters.NotificationFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        return selectors.notification_inbox(user=self.request.user)

    @extend_schema(request=None, responses={200: e.NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(
            actor=request.user, notification=self.get_object()
        )
        return self.respond(notification)
