"""Governance serializers: reviews and their scorecard, votes, decisions, conditions,
re-baselining requests, boards, seats, delegations and recusals."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fast import FastRepresentationMixin
from core.api.strict import StrictSerializer
from core.bounds import MEASURE_BOUNDS
from gates.api.serializers import EvidenceSnapshotSerializer
from gates.choices import Purpose
from gates.models import GateReview
from governance.choices import RebaselineKind, Verdict, VoteChoice
from governance.models import (
    Board,
    BoardMember,
    Condition,
    Decision,
    Delegation,
    RebaselineDecision,
    RebaselineRequest,
    Recusal,
    Vote,
)
from portfolio.api.fields import (
    ActiveUserField,
    VisibleMetricField,
    VisibleUseCaseField,
)
from portfolio.choices import Cadence, Direction, LessonCause
from portfolio.models import Department
from portfolio.services import LessonInput


def _request_user(field):
    request = field.context.get("request")
    return getattr(request, "user", None)


@extend_schema_field(OpenApiTypes.INT)
class SeatField(serializers.PrimaryKeyRelatedField):
    """An active board seat (any board; the services check it is the deciding one)."""

    def get_queryset(self):
        return BoardMember.objects.filter(active=True).select_related("board")


# --- reviews --------------------------------------------------------------------------------


class GateReviewSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    use_case_title = serializers.CharField(source="use_case.title", read_only=True)
    department = serializers.IntegerField(source="use_case.department_id", read_only=True)
    recommendation = serializers.CharField(read_only=True, allow_null=True)
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, allow_null=True
    )
    verdict = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = GateReview
        fields = [
            "id",
            "use_case",
            "use_case_title",
            "department",
            "gate",
            "purpose",
            "status",
            "criteria_set",
            "requested_by",
            "reason",
            "requested_at",
            "decided_at",
            "recommendation",
            "score",
            "verdict",
        ]


class ReviewRequestSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.ADVANCE)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class VoteSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.user.username", read_only=True)
    cast_by_name = serializers.CharField(source="cast_by.username", read_only=True)
    is_delegated = serializers.BooleanField(read_only=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "review",
            "member",
            "member_name",
            "cast_by",
            "cast_by_name",
            "delegation",
            "is_delegated",
            "choice",
            "comment",
            "at",
        ]


class VoteInputSerializer(StrictSerializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    comment = serializers.CharField(max_length=5000)
    on_behalf_of = SeatField(required=False, allow_null=True, help_text="A delegator's seat.")


class RecusalSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.user.username", read_only=True)

    class Meta:
        model = Recusal
        fields = ["id", "review", "member", "member_name", "reason", "automatic", "at"]


class RecuseInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=240)
    member = SeatField(required=False, allow_null=True, help_text="Another member (the chair).")


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Condition
        fields = [
            "id",
            "decision",
            "text",
            "due_date",
            "status",
            "resolved_at",
            "resolved_by",
            "note",
        ]


class ConditionInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5000)
    due_date = serializers.DateField()


class CloseInputSerializer(StrictSerializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False, allow_null=True)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    conditions = ConditionInputSerializer(many=True, required=False, max_length=50)
    lesson = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="NO-GO: what was learned."
    )
    cause = serializers.ChoiceField(
        choices=LessonCause.choices, required=False, help_text="NO-GO: the lesson's cause."
    )
    reusable = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="NO-GO: what can be reused."
    )

    @staticmethod
    def lesson_of(data: dict) -> LessonInput:
        return LessonInput(
            learned=data.get("lesson", ""),
            cause=data.get("cause", ""),
            reusable=data.get("reusable", ""),
        )


class ResolveInputSerializer(StrictSerializer):
    met = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DecisionSerializer(serializers.ModelSerializer):
    use_case = serializers.IntegerField(source="review.use_case_id", read_only=True)
    gate = serializers.CharField(source="review.gate", read_only=True)
    conditions = ConditionSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "review",
            "use_case",
            "gate",
            "board",
            "snapshot",
            "verdict",
            "recommendation",
            "is_override",
            "rationale",
            "votes_for_verdict",
            "votes_cast",
            "electorate",
            "decided_by",
            "decided_at",
            "latency_hours",
            "conditions",
        ]


class QuorumSerializer(serializers.Serializer):
    electorate = serializers.IntegerField()
    required = serializers.IntegerField()
    votes = serializers.IntegerField()
    reached = serializers.BooleanField()
    tally = serializers.DictField(child=serializers.IntegerField())


class ScorecardSerializer(serializers.Serializer):
    """The latest frozen evidence (measured value vs threshold per criterion), the quorum
    state, and every vote and recusal member by member."""

    review = GateReviewSerializer()
    snapshot = EvidenceSnapshotSerializer(allow_null=True)
    quorum = QuorumSerializer(allow_null=True)
    votes = VoteSerializer(many=True)
    recusals = RecusalSerializer(many=True)


# --- re-baselining --------------------------------------------------------------------------


class RebaselineDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RebaselineDecision
        fields = ["id", "outcome", "comment", "decided_by", "decided_at", "board", "created_metric"]


class RebaselineRequestSerializer(serializers.ModelSerializer):
    decision = serializers.SerializerMethodField()

    class Meta:
        model = RebaselineRequest
        fields = [
            "id",
            "kind",
            "metric",
            "use_case",
            "old_baseline",
            "old_target",
            "new_baseline",
            "new_target",
            "old_name",
            "new_name",
            "old_unit",
            "new_unit",
            "old_direction",
            "new_direction",
            "old_cadence",
            "new_cadence",
            "reason",
            "requested_by",
            "requested_at",
            "decision",
        ]

    @extend_schema_field(RebaselineDecisionSerializer(allow_null=True))
    def get_decision(self, rebaseline):
        try:
            decision = rebaseline.decision
        except RebaselineDecision.DoesNotExist:
            return None
        return RebaselineDecisionSerializer(decision).data


class RebaselineInputSerializer(StrictSerializer):
    """What to ask the board, and why. ``change`` (the default): the ``metric`` and the
    goalposts to move (any left out stay as they are). ``add``: the ``use_case`` and the new
    business metric's ``name``, ``unit``, ``baseline`` and ``target`` (``direction`` and
    ``cadence`` default to higher and monthly). ``retire``: the ``metric`` only; its readings
    stay on the record and it stops counting in gate evaluation once approved."""

    kind = serializers.ChoiceField(choices=RebaselineKind.choices, default=RebaselineKind.CHANGE)
    metric = VisibleMetricField(required=False)
    use_case = VisibleUseCaseField(required=False)
    baseline = serializers.DecimalField(
        max_digits=18, decimal_places=4, required=False, **MEASURE_BOUNDS
    )
    target = serializers.DecimalField(
        max_digits=18, decimal_places=4, required=False, **MEASURE_BOUNDS
    )
    name = serializers.CharField(max_length=120, required=False)
    unit = serializers.CharField(max_length=40, required=False)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    cadence = serializers.ChoiceField(choices=Cadence.choices, required=False)
    reason = serializers.CharField(max_length=5000)


class RebaselineDecideSerializer(StrictSerializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# --- boards ---------------------------------------------------------------------------------


class BoardMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = BoardMember
        fields = ["id", "board", "user", "username", "active", "is_voting", "is_chair"]


class BoardMemberInputSerializer(StrictSerializer):
    board = serializers.PrimaryKeyRelatedField(queryset=Board.objects.all())
    user = ActiveUserField()
    is_voting = serializers.BooleanField(default=True)
    is_chair = serializers.BooleanField(default=False)


class BoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = [
            "id",
            "name",
            "covers_all",
            "departments",
            "quorum_minimum",
            "active",
            "decision_target_hours",
            "decision_objective",
            "objective_window_days",
            "fallback_member",
            "fallback_executive",
        ]


class BoardInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    covers_all = serializers.BooleanField(default=False)
    quorum_minimum = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    decision_target_hours = serializers.IntegerField(
        min_value=1, max_value=24 * 365, required=False
    )
    decision_objective = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal("0.5"),
        max_value=Decimal("0.9999"),
        required=False,
    )
    objective_window_days = serializers.IntegerField(min_value=7, max_value=366, required=False)
    fallback_member = serializers.PrimaryKeyRelatedField(
        queryset=BoardMember.objects.filter(active=True), required=False, allow_null=True
    )
    fallback_executive = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )


class DelegationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delegation
        fields = ["id", "delegator", "delegate", "starts_at", "ends_at", "reason", "created_at"]


class DelegationInputSerializer(StrictSerializer):
    delegator = SeatField()
    delegate = SeatField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=240)


class BoardObjectiveSerializer(serializers.Serializer):
    """A board's decision objective at this moment (PRODUCT.md, "A decision objective")."""

    board = serializers.IntegerField()
    target_hours = serializers.IntegerField()
    objective = serializers.DecimalField(max_digits=5, decimal_places=4)
    window_days = serializers.IntegerField()
    events = serializers.IntegerField(help_text="Decided in the window, plus open past T.")
    good = serializers.IntegerField(help_text="Decisions within T.")
    misses = serializers.IntegerField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=4)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=4)
    burn_events = serializers.IntegerField(help_text="Events over the last 7 days.")
    burn_misses = serializers.IntegerField(help_text="Misses over the last 7 days.")
    burn_rate = serializers.DecimalField(max_digits=14, decimal_places=4)
    at_risk = serializers.BooleanField(help_text="Objective at risk: burn rate of 2 or more.")
    missed = serializers.BooleanField(help_text="Objective missed: the budget is spent.")


class DelayDepartmentSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    board_id = serializers.IntegerField(allow_null=True)
    board = serializers.CharField()
    overdue_count = serializers.IntegerField()
    overdue_cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    overdue_no_estimate = serializers.IntegerField(help_text="With no benefit estimate.")
    purgatory_count = serializers.IntegerField()
    purgatory_cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    purgatory_no_estimate = serializers.IntegerField(help_text="With no benefit estimate.")


class DelayBoardSerializer(serializers.Serializer):
    board_id = serializers.IntegerField(allow_null=True)
    board = serializers.CharField()
    overdue_count = serializers.IntegerField()
    overdue_cost = serializers.DecimalField(max_digits=18, decimal_places=2)
    purgatory_count = serializers.IntegerField()
    purgatory_cost = serializers.DecimalField(max_digits=18, decimal_places=2)


class CostOfDelaySerializer(serializers.Serializer):
    """Overdue costs (open reviews past their board's target) and purgatory costs (pilots
    past their time box with no review open), value per day = expected benefit / 365."""

    departments = DelayDepartmentSerializer(many=True)
    boards = DelayBoardSerializer(many=True)
    overdue_total = serializers.DecimalField(max_digits=18, decimal_places=2)
    purgatory_total = serializers.DecimalField(max_digits=18, decimal_places=2)
