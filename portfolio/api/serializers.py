"""Portfolio serializers: output serializers render, input serializers only parse shape.

Related objects in input are looked up in what the requesting person may see, so an invisible
row answers exactly like a missing one ("does not exist"), and nothing leaks through errors.
"""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fast import FastRepresentationMixin
from core.api.strict import StrictModelSerializer, StrictSerializer
from core.bounds import MEASURE_BOUNDS, MONEY_BOUNDS
from portfolio.choices import ArtifactKind, ArtifactStatus, Playbook, RiskTier, State
from portfolio.models import (
    Artifact,
    DataGap,
    Department,
    Membership,
    Metric,
    MetricReading,
    Notification,
    TransitionRecord,
    UseCase,
)
from portfolio.selectors import use_case_visible_to
from portfolio.services import available_transitions
from portfolio.services.intake import INTAKE_FIELDS, LIVING_FIELDS

User = get_user_model()

# Bounds on numbers a person could not have meant (core.bounds, shared with the web forms,
# the admin and the model fields).
MONEY_FIELDS = (
    "build_cost",
    "run_cost_yearly",
    "expected_benefit_yearly",
    "realised_benefit_yearly",
)


def _request_user(field):
    request = field.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.INT)
class VisibleUseCaseField(serializers.PrimaryKeyRelatedField):
    """A use case the requesting person may see; any other id is 'does not exist'."""

    def get_queryset(self):
        return use_case_visible_to(user=_request_user(self))


@extend_schema_field(OpenApiTypes.INT)
class PublishedUseCaseField(serializers.PrimaryKeyRelatedField):
    """A template: a submitted (or later) use case the person may see."""

    def get_queryset(self):
        return use_case_visible_to(user=_request_user(self)).exclude(state=State.DRAFT)


@extend_schema_field(OpenApiTypes.INT)
class VisibleMetricField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        visible = use_case_visible_to(user=_request_user(self))
        return Metric.objects.filter(use_case__in=visible).select_related("use_case")


@extend_schema_field(OpenApiTypes.INT)
class ActiveUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(is_active=True)


# --- people ---------------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "slug", "description"]


class DepartmentInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MembershipSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "department", "department_name", "role"]


class MembershipInputSerializer(StrictSerializer):
    user = ActiveUserField()
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    role = serializers.ChoiceField(choices=Membership._meta.get_field("role").choices)


class PersonMembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["department", "role"]


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    memberships = PersonMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "full_name", "memberships"]


# --- use cases ------------------------------------------------------------------------------

USE_CASE_OUTPUT_FIELDS = [
    "id",
    "title",
    "problem_statement",
    "department",
    "department_name",
    "origin",
    "outcome_owner",
    "owner_controls_resources",
    "owner_dependencies",
    "data_assumed",
    "data_existing",
    "build_cost",
    "run_cost_yearly",
    "expected_benefit_yearly",
    "realised_benefit_yearly",
    "expected_roi",
    "realised_roi",
    "payback_months",
    "autonomy_share",
    "execution_budget_share",
    "sponsor",
    "operator_team",
    "operator_lead",
    "success_definition",
    "sponsor_signed_off_at",
    "operator_signed_off_at",
    "horizon",
    "knowledge",
    "playbook",
    "scenarios",
    "warning_signs",
    "template",
    "risk_prohibited_practice",
    "risk_annex_iii_area",
    "risk_safety_component",
    "risk_transparency_duty",
    "risk_tier",
    "human_oversight",
    "pilot_time_box_days",
    "state",
    "state_before_hold",
    "submitted_at",
    "state_changed_at",
    "metrics_locked_at",
    "created_at",
    "updated_at",
    "available_transitions",
]


class UseCaseSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """A use case as read; ``available_transitions`` are those the requester may do now."""

    department_name = serializers.CharField(source="department.name", read_only=True)
    expected_roi = serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True
    )
    realised_roi = serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True
    )
    payback_months = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, allow_null=True
    )
    available_transitions = serializers.SerializerMethodField()
    # Derived in the database: empty until both answers are given.
    playbook = serializers.ChoiceField(choices=Playbook.choices, allow_blank=True, read_only=True)
    risk_tier = serializers.ChoiceField(choices=RiskTier.choices, read_only=True)

    # Output only (writes go through the input serializers), so the fields keep the model's
    # blank/null facts and the schema tells clients what can be empty.
    class Meta:
        model = UseCase
        fields = USE_CASE_OUTPUT_FIELDS

    def get_available_transitions(self, use_case) -> list[str]:
        user = _request_user(self)
        if user is None:
            return []
        # What a person may do depends on the state and the department only: a page of a
        # list asks once per pair (the context is shared by the rows of one response).
        known = self.context.setdefault("_available_transitions", {})
        key = (use_case.state, use_case.department_id)
        if key not in known:
            known[key] = available_transitions(use_case=use_case, user=user)
        return list(known[key])


class UseCaseUpdateSerializer(StrictModelSerializer):
    """Intake edits (while draft) and the living fields (after submission)."""

    outcome_owner = ActiveUserField(required=False, allow_null=True)
    sponsor = ActiveUserField(required=False, allow_null=True)
    operator_lead = ActiveUserField(required=False, allow_null=True)
    template = PublishedUseCaseField(required=False, allow_null=True)

    class Meta:
        model = UseCase
        fields = sorted(INTAKE_FIELDS | LIVING_FIELDS)
        extra_kwargs = {name: MONEY_BOUNDS for name in MONEY_FIELDS}


class UseCaseCreateSerializer(UseCaseUpdateSerializer):
    """The intake a draft starts with: a department and a title, anything else optional."""

    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())

    class Meta:
        model = UseCase
        fields = ["department", *sorted(INTAKE_FIELDS)]
        extra_kwargs = UseCaseUpdateSerializer.Meta.extra_kwargs


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class KillSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=5000)


class SignOffSerializer(StrictSerializer):
    party = serializers.CharField(
        max_length=40,
        help_text="sponsor, operator, or the key of a role the use case's stage needs.",
    )


class TransitionRecordSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(
        source="actor.username", read_only=True, default=None, allow_null=True
    )
    authorisation_type = serializers.CharField(
        source="authorisation_type.model", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = TransitionRecord
        fields = [
            "id",
            "use_case",
            "transition",
            "from_state",
            "to_state",
            "at",
            "actor",
            "actor_name",
            "reason",
            "authorisation_type",
            "authorisation_id",
            "kind",
            "source_file",
        ]


# --- metrics, readings, gaps, artifacts -----------------------------------------------------


class MetricSerializer(serializers.ModelSerializer):
    locked = serializers.SerializerMethodField()

    class Meta:
        model = Metric
        fields = [
            "id",
            "use_case",
            "kind",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "cadence",
            "paired_with",
            "locked",
            "retired_at",
            "created_at",
        ]

    def get_locked(self, metric) -> bool:
        """Baseline and target are locked since G0 (a change is a re-baselining request)."""
        return metric.use_case.metrics_locked_at is not None


class MetricCreateSerializer(StrictModelSerializer):
    use_case = VisibleUseCaseField()
    paired_with = VisibleMetricField(required=False, allow_null=True)

    class Meta:
        model = Metric
        fields = [
            "use_case",
            "kind",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "cadence",
            "paired_with",
        ]
        # A metric is measured against where it started: no baseline, no metric.
        extra_kwargs = {
            "baseline": {"required": True, "allow_null": False, **MEASURE_BOUNDS},
            "target": MEASURE_BOUNDS,
        }


class MetricUpdateSerializer(StrictModelSerializer):
    paired_with = VisibleMetricField(required=False, allow_null=True)

    class Meta:
        model = Metric
        fields = [
            "kind",
            "name",
            "unit",
            "direction",
            "baseline",
            "target",
            "cadence",
            "paired_with",
        ]
        extra_kwargs = {
            "baseline": {"allow_null": False, **MEASURE_BOUNDS},
            "target": MEASURE_BOUNDS,
        }


class ReadingSerializer(serializers.ModelSerializer):
    """A reading as recorded; ``superseded_by`` names the correction that replaced it."""

    superseded_by = serializers.SerializerMethodField()

    class Meta:
        model = MetricReading
        fields = [
            "id",
            "metric",
            "value",
            "measured_at",
            "recorded_by",
            "note",
            "created_at",
            "supersedes",
            "correction_reason",
            "superseded_by",
        ]

    def get_superseded_by(self, reading) -> int | None:
        try:
            return reading.superseded_by.pk
        except MetricReading.superseded_by.RelatedObjectDoesNotExist:
            return None


class ReadingCorrectSerializer(StrictSerializer):
    """A correction: the right value, why, and (if it differs) when it was measured."""

    value = serializers.DecimalField(max_digits=18, decimal_places=4, **MEASURE_BOUNDS)
    reason = serializers.CharField(max_length=2000)
    measured_at = serializers.DateTimeField(required=False)


class ReadingCreateSerializer(StrictModelSerializer):
    metric = VisibleMetricField()
    measured_at = serializers.DateTimeField(required=False)

    class Meta:
        model = MetricReading
        fields = ["metric", "value", "measured_at", "note"]
        extra_kwargs = {"value": MEASURE_BOUNDS}


class DataGapSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataGap
        fields = [
            "id",
            "use_case",
            "description",
            "closing_work",
            "work_owner",
            "owner_committed",
            "blocks_production",
        ]


class DataGapCreateSerializer(StrictModelSerializer):
    use_case = VisibleUseCaseField()

    class Meta:
        model = DataGap
        fields = [
            "use_case",
            "description",
            "closing_work",
            "work_owner",
            "owner_committed",
            "blocks_production",
        ]


class DataGapUpdateSerializer(StrictModelSerializer):
    class Meta:
        model = DataGap
        fields = [
            "description",
            "closing_work",
            "work_owner",
            "owner_committed",
            "blocks_production",
        ]


class ArtifactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artifact
        fields = ["id", "use_case", "kind", "status", "content", "updated_at", "updated_by"]


class ArtifactInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    kind = serializers.ChoiceField(choices=ArtifactKind.choices)
    status = serializers.ChoiceField(choices=ArtifactStatus.choices, default=ArtifactStatus.DRAFT)
    content = serializers.CharField(allow_blank=True, max_length=100_000)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "use_case", "created_at", "read_at"]
