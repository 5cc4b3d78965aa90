"""Governance endpoints: reviews (request, evaluate, scorecard, vote, recuse, close),
decisions and their conditions, re-baselining, boards, seats and delegations.

Votes and decisions carry a scoped throttle ("decisions"). Everything read is limited to
the use cases the requester may see.
"""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from core.api.base import AdministratorsWrite, FlywheelViewSet, ReadOnlyFlywheelViewSet
from core.api.fast import ValueRows
from core.errors import ConflictError
from core.roles import roles_of
from gates import services as gate_services
from gates.api.serializers import EvidenceSnapshotSerializer
from gates.models import EvidenceSnapshot, GateReview
from gates.selectors import review_list
from governance import selectors, services
from governance.api import filters
from governance.api import serializers as s
from governance.models import (
    Board,
    BoardMember,
    Condition,
    Decision,
    Delegation,
    RebaselineRequest,
    Recusal,
    Vote,
)
from governance.selectors_looks_ahead import board_objectives, delay_totals
from portfolio.selectors import sees_everything, use_case_visible_to

DECISIONS_THROTTLE = {"throttle_classes": [ScopedRateThrottle], "throttle_scope": "decisions"}


def visible_use_cases(request):
    return use_case_visible_to(user=request.user)


def _latest(field: str) -> Subquery:
    return Subquery(
        EvidenceSnapshot.objects.filter(review=OuterRef("pk"))
        .order_by("-taken_at", "-id")
        .values(field)[:1]
    )


VOTE_EXAMPLE = OpenApiExample(
    "A vote", request_only=True, value={"choice": "go", "comment": "The pilot proved the lift."}
)
CLOSE_EXAMPLE = OpenApiExample(
    "A conditional go",
    request_only=True,
    value={
        "verdict": "conditional_go",
        "rationale": "Go, once the labelling backlog is closed.",
        "conditions": [{"text": "Label the 2024 claims.", "due_date": "2026-09-30"}],
    },
)
QUORUM_EXAMPLE = OpenApiExample(
    "Quorum not reached",
    response_only=True,
    status_codes=["409"],
    value={
        "code": "quorum_not_reached",
        "message": "1 of 2 votes needed to close (3 voting members not recused).",
        "votes": 1,
        "required": 2,
    },
)


REBASELINE_EXAMPLES = [
    OpenApiExample(
        "Move a target",
        request_only=True,
        value={"metric": 12, "target": "3.5", "reason": "The regulator shortened the deadline."},
    ),
    OpenApiExample(
        "Add a business metric",
        request_only=True,
        value={
            "kind": "add",
            "use_case": 7,
            "name": "Complaints",
            "unit": "count",
            "direction": "lower",
            "baseline": "120",
            "target": "80",
            "cadence": "weekly",
            "reason": "Complaints are what the customers feel.",
        },
    ),
    OpenApiExample(
        "Retire a business metric",
        request_only=True,
        value={"kind": "retire", "metric": 12, "reason": "Replaced by complaints."},
    ),
    OpenApiExample(
        "One request waits",
        response_only=True,
        status_codes=["409"],
        value={
            "code": "rebaseline_pending",
            "message": "A re-baselining request is already waiting for the board on this metric.",
            "pending_request": 31,
        },
    ),
]


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Gate reviews. A department head requests one (the evidence is frozen at once);
    board members vote; the chair closes it with the board's decision."""

    queryset = GateReview.objects.none()
    output_serializer_class = s.GateReviewSerializer
    input_serializers = {
        "create": s.ReviewRequestSerializer,
        "vote": s.VoteInputSerializer,
        "recuse": s.RecuseInputSerializer,
        "close": s.CloseInputSerializer,
    }
    filterset_class = filters.ReviewFilter
    ordering_fields = ["requested_at", "decided_at", "id"]

    # The latest evidence and the verdict are subqueries: computed for the page's rows only.
    list_rows = ValueRows(
        GateReview, related={"use_case": ["title", "department_id"]}, ids_first=True
    )

    def get_queryset(self):
        visible = GateReview.objects.all()
        if not sees_everything(self.request.user):
            # No visibility subquery for those who see everything: the page is an index range.
            visible = visible.filter(use_case__in=visible_use_cases(self.request))
        return review_list(queryset=visible).annotate(
            recommendation=_latest("recommendation"),
            score=_latest("score"),
            verdict=Subquery(Decision.objects.filter(review=OuterRef("pk")).values("verdict")),
        )

    def _reloaded(self, review):
        return self.get_queryset().get(pk=review.pk)

    @extend_schema(summary="Request a gate review (the head of the use case's department)")
    def create(self, request):
        review = services.review_request(actor=request.user, **self.parse())
        return self.respond(self._reloaded(review), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Re-evaluate an open review against the latest evidence (a new snapshot)",
        request=None,
        responses={201: EvidenceSnapshotSerializer},
    )
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        snapshot = gate_services.review_evaluate(review=self.get_object(), actor=request.user)
        return self._render(EvidenceSnapshotSerializer, snapshot, status.HTTP_201_CREATED)

    @extend_schema(
        summary="The scorecard: measured value vs threshold per criterion, quorum, votes",
        responses={200: s.ScorecardSerializer},
    )
    @action(detail=True, methods=["get"])
    def scorecard(self, request, pk=None):
        card = selectors.review_scorecard(review=self.get_object())
        return self._render(s.ScorecardSerializer, card)

    @extend_schema(
        summary="Cast your vote (or a delegator's) with a comment",
        request=s.VoteInputSerializer,
        responses={201: s.VoteSerializer},
        examples=[VOTE_EXAMPLE],
    )
    @action(detail=True, methods=["post"], **DECISIONS_THROTTLE)
    def vote(self, request, pk=None):
        vote = services.vote_cast(review=self.get_object(), actor=request.user, **self.parse())
        return self._render(s.VoteSerializer, vote, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Stand aside from this review (conflict of interest)",
        request=s.RecuseInputSerializer,
        responses={201: s.RecusalSerializer},
    )
    @action(detail=True, methods=["post"])
    def recuse(self, request, pk=None):
        recusal = services.vote_recuse(review=self.get_object(), actor=request.user, **self.parse())
        return self._render(s.RecusalSerializer, recusal, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close the review with the board's decision (the chair)",
        request=s.CloseInputSerializer,
        responses={201: s.DecisionSerializer},
        examples=[CLOSE_EXAMPLE, QUORUM_EXAMPLE],
    )
    @action(detail=True, methods=["post"], **DECISIONS_THROTTLE)
    def close(self, request, pk=None):
        data = self.parse()
        decision = services.review_close(
            review=self.get_object(),
            actor=request.user,
            verdict=data.get("verdict"),
            rationale=data.get("rationale", ""),
            conditions=data.get("conditions", ()),
            lesson=s.CloseInputSerializer.lesson_of(data),
        )
        return self._render(s.DecisionSerializer, decision, status.HTTP_201_CREATED)

    def _render(self, serializer_class, instance, status_code=status.HTTP_200_OK):
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code)


class VoteViewSet(ReadOnlyFlywheelViewSet):
    """Every vote, member by member: who voted, for whom, what and why (dissent stays)."""

    queryset = Vote.objects.none()
    output_serializer_class = s.VoteSerializer
    filterset_class = filters.VoteFilter
    ordering_fields = ["at", "id"]

    def get_queryset(self):
        return Vote.objects.filter(
            review__use_case__in=visible_use_cases(self.request)
        ).select_related("member__user", "cast_by")


class RecusalViewSet(ReadOnlyFlywheelViewSet):
    queryset = Recusal.objects.none()
    output_serializer_class = s.RecusalSerializer
    filterset_class = filters.RecusalFilter
    ordering_fields = ["at", "id"]

    def get_queryset(self):
        return Recusal.objects.filter(
            review__use_case__in=visible_use_cases(self.request)
        ).select_related("member__user")


class DecisionViewSet(ReadOnlyFlywheelViewSet):
    """Board decisions with their conditions; overrides are flagged."""

    queryset = Decision.objects.none()
    output_serializer_class = s.DecisionSerializer
    filterset_class = filters.DecisionFilter
    ordering_fields = ["decided_at", "latency_hours", "id"]

    def get_queryset(self):
        return (
            selectors.decision_list()
            .filter(review__use_case__in=visible_use_cases(self.request))
            .prefetch_related(Prefetch("conditions", queryset=Condition.objects.order_by("id")))
        )


class ConditionViewSet(ReadOnlyFlywheelViewSet):
    """Conditions of conditional go decisions; the chair marks them met or not met."""

    queryset = Condition.objects.none()
    output_serializer_class = s.ConditionSerializer
    input_serializers = {"resolve": s.ResolveInputSerializer}
    filterset_class = filters.ConditionFilter
    ordering_fields = ["due_date", "id"]

    def get_queryset(self):
        return Condition.objects.filter(
            decision__review__use_case__in=visible_use_cases(self.request)
        ).select_related("decision__review")

    @extend_schema(request=s.ResolveInputSerializer, responses={200: s.ConditionSerializer})
    @action(detail=True, methods=["post"], **DECISIONS_THROTTLE)
    def resolve(self, request, pk=None):
        condition = services.condition_resolve(
            condition=self.get_object(), actor=request.user, **self.parse()
        )
        return self.respond(condition)


class RebaselineRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Re-baselining requests: from G0 on, the only way to move a business metric's
    goalposts (``kind`` ``change``), add a business metric (``add``) or retire one
    (``retire``). The use case's department head asks; one request waits per metric (and per
    use case and name for an addition: 409 ``rebaseline_pending``); the board's chair
    approves, which applies it, or rejects. Approving a request whose metric changed since it
    was made is refused (409 ``rebaseline_stale``)."""

    queryset = RebaselineRequest.objects.none()
    output_serializer_class = s.RebaselineRequestSerializer
    input_serializers = {
        "create": s.RebaselineInputSerializer,
        "decide": s.RebaselineDecideSerializer,
    }
    filterset_class = filters.RebaselineFilter
    ordering_fields = ["requested_at", "id"]

    def get_queryset(self):
        return RebaselineRequest.objects.filter(
            use_case__in=visible_use_cases(self.request)
        ).select_related("metric", "decision")

    @extend_schema(
        summary="Ask the board to move goalposts, add a business metric or retire one",
        request=s.RebaselineInputSerializer,
        responses={201: s.RebaselineRequestSerializer},
        examples=REBASELINE_EXAMPLES,
    )
    def create(self, request):
        rebaseline = services.rebaseline_request(actor=request.user, **self.parse())
        return self.respond(self.get_queryset().get(pk=rebaseline.pk), status.HTTP_201_CREATED)

    @extend_schema(
        request=s.RebaselineDecideSerializer, responses={200: s.RebaselineRequestSerializer}
    )
    @action(detail=True, methods=["post"], **DECISIONS_THROTTLE)
    def decide(self, request, pk=None):
        rebaseline = self.get_object()
        services.rebaseline_decide(request=rebaseline, actor=request.user, **self.parse())
        return self.respond(self.get_queryset().get(pk=rebaseline.pk))


class BoardViewSet(mixins.CreateModelMixin, ReadOnlyFlywheelViewSet):
    """Governance boards; administrators manage them."""

    permission_classes = [IsAuthenticated, AdministratorsWrite]
    queryset = Board.objects.none()
    output_serializer_class = s.BoardSerializer
    input_serializers = {
        "create": s.BoardInputSerializer,
        "partial_update": s.BoardInputSerializer,
    }
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return self.role_holders_only(Board.objects.prefetch_related("departments"))

    def get_serializer_class(self):
        return FlywheelViewSet.get_serializer_class(self)

    def create(self, request, *args, **kwargs):
        board = services.board_create(**self.parse())
        return self.respond(board, status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.BoardObjectiveSerializer})
    @action(detail=True, methods=["get"])
    def objective(self, request, pk=None):
        """The board's decision objective now: events, misses, budget, remaining, 7-day
        burn rate, and its flags (objective at risk, objective missed)."""
        board = self.get_object()
        (entry,) = board_objectives(board_id=board.pk) or [None]
        if entry is None:
            raise ConflictError(_("An inactive board has no decision objective."))
        return Response(s.BoardObjectiveSerializer(objective_data(entry)).data)

    @extend_schema(responses={200: s.CostOfDelaySerializer})
    @action(
        detail=False,
        methods=["get"],
        url_path="cost-of-delay",
        pagination_class=None,
        filter_backends=[],
    )
    def cost_of_delay(self, request):
        """Overdue and purgatory costs summed by department and board."""
        if not roles_of(request.user).reads_published:
            raise PermissionDenied(_("The portfolio's figures are for people with a role."))
        return Response(s.CostOfDelaySerializer(delay_totals()).data)

    @extend_schema(request=s.BoardInputSerializer, responses={200: s.BoardSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change a board: its name, coverage, quorum, decision target and objective, or
        its fallback for reviews waiting past twice the target."""
        board = services.board_update(board=self.get_object(), **self.parse(partial=True))
        return self.respond(board)


def objective_data(entry) -> dict:
    f = entry.figures
    return {
        "board": entry.board.pk,
        "target_hours": f.target_hours,
        "objective": f.objective,
        "window_days": f.window_days,
        "events": f.events,
        "good": f.good,
        "misses": f.misses,
        "budget": f.budget,
        "remaining": f.remaining,
        "burn_events": f.burn_events,
        "burn_misses": f.burn_misses,
        "burn_rate": f.burn_rate,
        "at_risk": f.at_risk,
        "missed": f.missed,
    }


class BoardMemberViewSet(mixins.CreateModelMixin, ReadOnlyFlywheelViewSet):
    """Seats on the boards; administrators give and withdraw them."""

    permission_classes = [IsAuthenticated, AdministratorsWrite]
    queryset = BoardMember.objects.none()
    output_serializer_class = s.BoardMemberSerializer
    input_serializers = {"create": s.BoardMemberInputSerializer}
    filterset_class = filters.BoardMemberFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return self.role_holders_only(BoardMember.objects.select_related("user"))

    def get_serializer_class(self):
        return FlywheelViewSet.get_serializer_class(self)

    def create(self, request, *args, **kwargs):
        seat = services.board_member_add(**self.parse())
        return self.respond(seat, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.BoardMemberSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        seat = services.board_member_remove(seat=self.get_object())
        return self.respond(seat)


class DelegationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """A member hands their vote to another member for a period."""

    queryset = Delegation.objects.none()
    output_serializer_class = s.DelegationSerializer
    input_serializers = {"create": s.DelegationInputSerializer}
    filterset_class = filters.DelegationFilter
    ordering_fields = ["starts_at", "id"]

    def get_queryset(self):
        return self.role_holders_only(Delegation.objects.all())

    def create(self, request):
        delegation = services.delegation_create(actor=request.user, **self.parse())
        return self.respond(delegation, status.HTTP_201_CREATED)
