"""Governance's part of My actions: votes to cast, reviews to close, conditions coming due,
reviews a department head may request. A fixed number of queries each."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from core.actions import Action
from gates.choices import ReviewStatus
from gates.models import GateReview
from governance.choices import ConditionStatus
from governance.models import BoardMember, Condition, Recusal, Vote
from governance.selectors import open_reviews_decided_by
from governance.selectors_looks_ahead import escalated_reviews
from portfolio.choices import TERMINAL_STATES, State
from portfolio.models import UseCase
from portfolio.selectors_sign_offs import signed_by_everyone

KINDS = {
    "vote": "Votes to cast",
    "close_review": "Reviews to close",
    "condition_due": "Conditions coming due",
    "request_review": "Reviews you may request",
    "escalated_review": "Reviews escalated to you",
}
DUE_IN = timedelta(hours=settings.FLYWHEEL_DECISION_TARGET_HOURS)


def board_actions(user, *, member_of=frozenset()) -> list[Action]:
    """Open reviews the person's boards decide: to vote on (a voting seat that has neither
    voted nor stood aside, and is not of the use case's department), and to close (the
    chair). Delegated votes are cast from the review page (four queries at most)."""
    seats = list(BoardMember.objects.filter(user=user, active=True).values("is_voting", "is_chair"))
    if not seats:
        return []
    voting = any(seat["is_voting"] for seat in seats)
    chair = any(seat["is_chair"] for seat in seats)
    votes = (
        Vote.objects.filter(review=OuterRef("pk"))
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reviews = (
        GateReview.objects.filter(pk__in=open_reviews_decided_by(user=user).values("pk"))
        .annotate(
            voted=Exists(Vote.objects.filter(review=OuterRef("pk"), member__user=user)),
            recused=Exists(Recusal.objects.filter(review=OuterRef("pk"), member__user=user)),
            votes_cast=Subquery(votes),
        )
        .values_list(
            "pk",
            "gate",
            "requested_at",
            "use_case__title",
            "use_case__department_id",
            "voted",
            "recused",
            "votes_cast",
        )
        .order_by("requested_at", "pk")
    )
    actions = []
    for pk, gate, requested_at, title, department_id, voted, recused, cast in reviews:
        if voting and not voted and not recused and department_id not in member_of:
            actions.append(
                Action(
                    kind="vote",
                    title=f"Vote on the {gate} review of '{title}'",
                    detail=f"Requested {requested_at:%Y-%m-%d %H:%M}.",
                    path=f"/reviews/{pk}/",
                    due=requested_at + DUE_IN,
                )
            )
        if chair:
            actions.append(
                Action(
                    kind="close_review",
                    title=f"Close the {gate} review of '{title}'",
                    detail=f"{cast or 0} votes cast so far.",
                    path=f"/reviews/{pk}/",
                    due=requested_at + DUE_IN,
                )
            )
    return actions


def conditions_coming_due(*, department_ids, at=None) -> list[Action]:
    """Open conditions of the departments' use cases due within the window or past it
    (1 query)."""
    if not department_ids:
        return []
    at = at or timezone.now()
    horizon = at.date() + timedelta(days=settings.FLYWHEEL_CONDITION_DUE_SOON_DAYS)
    rows = (
        Condition.objects.filter(
            status=ConditionStatus.OPEN,
            due_date__lte=horizon,
            decision__review__use_case__department_id__in=department_ids,
        )
        .exclude(decision__review__use_case__state__in=list(TERMINAL_STATES))
        .values_list(
            "text", "due_date", "decision__review__use_case_id", "decision__review__use_case__title"
        )
        .order_by("due_date", "pk")
    )
    return [
        Action(
            kind="condition_due",
            title=f"Meet the condition on '{title}'",
            detail=f"{text[:120]} (due {due:%Y-%m-%d}).",
            path=f"/use-cases/{pk}/",
            due=due,
        )
        for text, due, pk, title in rows
    ]


def reviews_to_request(*, department_ids) -> list[Action]:
    """Use cases of the departments that could go to their next gate now: submitted and
    signed by everyone the submitted stage needs (by default the sponsor and the operator
    lead), or in pilot or scale, with no review open (2 queries)."""
    if not department_ids:
        return []
    open_review = GateReview.objects.filter(use_case=OuterRef("pk"), status=ReviewStatus.OPEN)
    rows = (
        UseCase.objects.filter(department_id__in=department_ids)
        .filter(
            Q(state=State.SUBMITTED) & signed_by_everyone(State.SUBMITTED)
            | Q(state__in=[State.PILOT, State.SCALE])
        )
        .exclude(Exists(open_review))
        .values_list("pk", "title", "state")
        .order_by("title", "pk")
    )
    gate = {State.SUBMITTED: "G0", State.PILOT: "G1", State.SCALE: "G2"}
    return [
        Action(
            kind="request_review",
            title=f"Request the {gate[state]} review of '{title}'",
            detail=f"In {state}, no review open.",
            path=f"/use-cases/{pk}/",
        )
        for pk, title, state in rows
    ]


def escalated_actions(user) -> list[Action]:
    """Reviews open past twice their board's target, at a board whose fallback this person
    is: they see that the board decides (3 queries)."""
    return [
        Action(
            kind="escalated_review",
            title=f"See that {review.board.name} decides the {review.gate} review of "
            f"'{review.use_case.title}'",
            detail=f"Requested {review.requested_at:%Y-%m-%d %H:%M}; past twice the "
            f"{review.board.decision_target_hours}-hour target. You are the board's fallback.",
            path=f"/reviews/{review.pk}/",
            due=review.requested_at + timedelta(hours=2 * review.board.decision_target_hours),
        )
        for review in escalated_reviews(user=user)
    ]


def governance_actions(user, roles) -> list[Action]:
    return [
        *escalated_actions(user),
        *board_actions(user, member_of=roles.member_of),
        *conditions_coming_due(department_ids=roles.heads),
        *reviews_to_request(department_ids=roles.heads),
    ]
