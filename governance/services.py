"""Every write of the governance app: boards, review requests, votes, recusals,
delegations, decisions with their effect on the use case, conditions, re-baselining.

Every service takes ``at`` (default: now) for the moment it happens, so that history can
be written with past dates and decision latency comes from those values.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gates import services as gate_services
from gates.choices import PASSED_GATE_FOR_STATE, Gate, Purpose, Recommendation, ReviewStatus
from gates.models import EvidenceSnapshot, GateReview
from governance import selectors
from governance.choices import FORWARD_VERDICTS, ConditionStatus, RebaselineOutcome, Verdict
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
from portfolio import services as portfolio_services
from portfolio.choices import DepartmentRole
from portfolio.errors import ConcurrentChange, ConflictError
from portfolio.models import Membership, Metric, UseCase
from portfolio.roles import forget_roles


class QuorumNotReached(ConflictError):
    """Closing a review before enough of the electorate has voted."""

    default_code = "quorum_not_reached"


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# --- boards ---------------------------------------------------------------------------------


@transaction.atomic
def board_create(
    *,
    name: str,
    departments: Iterable = (),
    covers_all: bool = False,
    quorum_minimum: int = 0,
) -> Board:
    """Create a board covering some departments, or the whole portfolio."""
    board = Board(name=name, covers_all=covers_all, quorum_minimum=quorum_minimum)
    board.full_clean()
    board.save()
    board.departments.set(departments)
    return board


@transaction.atomic
def board_member_add(
    *, board: Board, user, is_voting: bool = True, is_chair: bool = False
) -> BoardMember:
    """Give a person a seat on a board (or reactivate and update the seat they had)."""
    seat, _ = BoardMember.objects.update_or_create(
        board=board,
        user=user,
        defaults={"active": True, "is_voting": is_voting, "is_chair": is_chair},
    )
    forget_roles(user)
    return seat


@transaction.atomic
def board_member_remove(*, seat: BoardMember) -> BoardMember:
    """Deactivate a seat; votes cast from it stay on the record."""
    seat.active = False
    seat.save(update_fields=["active"])
    forget_roles(seat.user)
    return seat


@transaction.atomic
def delegation_create(
    *,
    delegator: BoardMember,
    delegate: BoardMember,
    starts_at: datetime,
    ends_at: datetime,
    actor=None,
    reason: str = "",
) -> Delegation:
    """A member hands their vote to another voting member of the same board for a period."""
    if (
        actor is not None
        and actor.pk != delegator.user_id
        and not rules.has_perm("governance.manage_boards", actor)
    ):
        raise PermissionDenied("Only the member (or an administrator) delegates their vote.")
    if delegator.board_id != delegate.board_id:
        raise ValidationError({"delegate": ["Delegate to a member of the same board."]})
    if delegator.pk == delegate.pk:
        raise ValidationError({"delegate": ["A member cannot delegate to themselves."]})
    if not (delegate.active and delegate.is_voting and delegator.active and delegator.is_voting):
        raise ValidationError({"delegate": ["Both members must hold active voting seats."]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ["The period must end after it starts."]})
    return Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=actor,
    )


# --- reviews --------------------------------------------------------------------------------


def _board_of(review_or_use_case) -> Board:
    use_case = getattr(review_or_use_case, "use_case", review_or_use_case)
    board = selectors.board_for_department(department_id=use_case.department_id)
    if board is None:
        raise ConflictError(
            "No governance board covers this use case's department.", code="no_board"
        )
    return board


@transaction.atomic
def review_request(
    *,
    use_case: UseCase,
    actor=None,
    purpose: str = Purpose.ADVANCE,
    gate: str | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> GateReview:
    """Request a gate review: the department head for an advance, or the system
    (``actor=None``) for a mandatory re-review (condition overdue, re-review due).

    Evaluates and freezes the evidence, records the automatic recusals (members of the
    use case's department) and notifies the board's members after commit.
    """
    at = _now(at)
    if actor is not None and not rules.has_perm("governance.request_review", actor, use_case):
        raise PermissionDenied("Only the head of the use case's department requests a review.")
    board = _board_of(use_case)
    review = gate_services.review_open(
        use_case=use_case, actor=actor, purpose=purpose, gate=gate, reason=reason, at=at
    )
    conflicted = selectors.conflicted_seats(board=board, department_id=use_case.department_id)
    Recusal.objects.bulk_create(
        Recusal(
            review=review,
            member=seat,
            reason="Member of the use case's department.",
            automatic=True,
            at=at,
        )
        for seat in conflicted
    )
    seats = BoardMember.objects.filter(board=board, active=True).select_related("user")
    what = "re-review" if purpose == Purpose.RE_REVIEW else "review"
    portfolio_services.notification_send(
        recipients=[seat.user for seat in seats],
        kind="review_requested",
        subject=f"{review.gate} {what} requested: {use_case.title}",
        body=reason or f"A {review.gate} {what} of '{use_case.title}' awaits the board.",
        use_case=use_case,
    )
    return review


def _lock_open_review(review: GateReview) -> GateReview:
    """The review row, locked (PostgreSQL; SQLite holds the write lock), and still open."""
    locked = GateReview.objects.select_for_update().select_related("use_case").get(pk=review.pk)
    if locked.status != ReviewStatus.OPEN:
        raise ConflictError("The review is already decided.", code="review_decided")
    return locked


@transaction.atomic
def vote_cast(
    *,
    review: GateReview,
    actor,
    choice: str,
    comment: str,
    on_behalf_of: BoardMember | None = None,
    at: datetime | None = None,
) -> Vote:
    """Cast a seat's one vote on a review, with a comment.

    A member votes for their own seat, or for a member who delegated to them for a period
    covering ``at``; the record shows who voted for whom. A recused or conflicted seat does
    not vote. A second vote for the same seat is a 409 (a unique constraint decides).
    """
    at = _now(at)
    if choice not in Verdict.values:
        raise ValidationError({"choice": [f"Choose one of {', '.join(Verdict.values)}."]})
    if not (comment or "").strip():
        raise ValidationError({"comment": ["Say why: every vote carries a comment."]})
    review = _lock_open_review(review)
    board = _board_of(review)
    own = BoardMember.objects.filter(board=board, user=actor, active=True).first()
    delegation = None
    if on_behalf_of is None:
        seat = own
        if seat is None or not seat.is_voting:
            raise PermissionDenied("You hold no voting seat on the board that decides this.")
    else:
        seat = on_behalf_of
        if seat.board_id != board.pk or not (seat.active and seat.is_voting):
            raise PermissionDenied("That member holds no voting seat on this board.")
        delegation = (
            selectors.delegation_active(delegator=seat, delegate=own, at=at) if own else None
        )
        if delegation is None:
            raise PermissionDenied(f"{seat.user} has not delegated their vote to you for now.")
    department_id = review.use_case.department_id
    # Whoever holds the vote and whoever casts it must both be free of the conflict.
    for person in {seat, own} - {None}:
        if Recusal.objects.filter(review=review, member=person).exists() or (
            selectors.is_conflicted(seat=person, department_id=department_id)
        ):
            raise PermissionDenied(f"{person.user} is recused from this review.")
    try:
        with transaction.atomic():
            return Vote.objects.create(
                review=review,
                member=seat,
                cast_by=actor,
                delegation=delegation,
                choice=choice,
                comment=comment.strip(),
                at=at,
            )
    except IntegrityError as exc:
        raise ConflictError(
            f"{seat.user} has already voted on this review.", code="already_voted"
        ) from exc


@transaction.atomic
def vote_recuse(
    *,
    review: GateReview,
    actor,
    reason: str,
    member: BoardMember | None = None,
    at: datetime | None = None,
) -> Recusal:
    """A member stands aside from a review (a conflict of interest); the chair or an
    administrator may record it for another member. Not after the member has voted."""
    at = _now(at)
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Give the reason for the recusal."]})
    review = _lock_open_review(review)
    board = _board_of(review)
    if member is None:
        member = BoardMember.objects.filter(board=board, user=actor, active=True).first()
        if member is None:
            raise PermissionDenied("You hold no seat on the board that decides this.")
    elif member.user_id != getattr(actor, "pk", None) and not rules.has_perm(
        "governance.close_review", actor, review
    ):
        raise PermissionDenied("Only the chair records another member's recusal.")
    if member.board_id != board.pk:
        raise ValidationError({"member": ["Not a member of the deciding board."]})
    if Vote.objects.filter(review=review, member=member).exists():
        raise ConflictError("The member has voted already.", code="already_voted")
    try:
        with transaction.atomic():
            return Recusal.objects.create(review=review, member=member, reason=reason, at=at)
    except IntegrityError as exc:
        raise ConflictError("The member is already recused.", code="already_recused") from exc


# --- decisions ------------------------------------------------------------------------------


def is_override(*, verdict: str, recommendation: str) -> bool:
    """A decision goes against the recommendation when it moves forward without a GO
    recommendation, or stops (no-go, hold, recycle) a use case the engine said GO to."""
    if verdict in FORWARD_VERDICTS:
        return recommendation != Recommendation.GO
    return recommendation == Recommendation.GO


def _verdict_from(votes, verdict: str | None) -> str:
    leaders = votes.leaders
    if verdict is None:
        if len(leaders) != 1:
            raise ConflictError(
                f"The votes are tied between {', '.join(leaders)}; the chair names the verdict.",
                code="tied_vote",
                extra={"tied": leaders},
            )
        return leaders[0]
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": [f"Choose one of {', '.join(Verdict.values)}."]})
    if verdict not in leaders:
        raise ConflictError(
            f"The board voted {', '.join(leaders)}; the decision records the board's vote.",
            code="verdict_not_voted",
            extra={"leaders": leaders},
        )
    return verdict


def _apply(*, decision: Decision, review: GateReview, actor, at: datetime) -> None:
    """The decision's effect on the use case, through the portfolio services."""
    use_case = review.use_case
    verdict = decision.verdict
    reason = f"{review.gate} {decision.get_verdict_display()}: {decision.rationale}".strip(": ")
    if verdict in FORWARD_VERDICTS:
        if review.purpose == Purpose.ADVANCE:
            use_case = portfolio_services.use_case_advance(
                use_case=use_case, authorisation=decision, actor=actor, reason=reason, at=at
            )
            if review.gate == Gate.G0:
                portfolio_services.metrics_lock(use_case=use_case, at=at)
    elif verdict == Verdict.NO_GO:
        portfolio_services.use_case_kill(
            use_case=use_case, authorisation=decision, actor=actor, reason=reason, at=at
        )
    elif verdict == Verdict.HOLD:
        portfolio_services.use_case_hold(
            use_case=use_case, authorisation=decision, actor=actor, reason=reason, at=at
        )
    # RECYCLE keeps the use case in its stage, to rework and apply again.


@transaction.atomic
def review_close(
    *,
    review: GateReview,
    actor,
    verdict: str | None = None,
    rationale: str = "",
    conditions: Iterable[Mapping] = (),
    at: datetime | None = None,
) -> Decision:
    """Record the board's decision and apply it to the use case, in one transaction.

    The quorum rule must hold; the verdict is the one most voted (the chair names it on a
    tie). Against the recommendation it is flagged an override and needs a rationale. A
    CONDITIONAL GO needs conditions (text, due date). GO and CONDITIONAL GO move the use case
    forward (a re-review keeps the stage), NO-GO kills, HOLD holds, RECYCLE keeps the stage.
    Passing G0 locks the business metrics' goalposts. The review row is locked (PostgreSQL)
    and one decision per review is a unique constraint: a second closer gets a 409.
    """
    at = _now(at)
    if not rules.has_perm("governance.close_review", actor, review):
        raise PermissionDenied("Only the board's chair closes a review.")
    review = _lock_open_review(review)
    board = _board_of(review)
    votes = selectors.quorum_of(review=review, board=board)
    if not votes.reached:
        raise QuorumNotReached(
            f"{votes.votes} of {votes.required} votes needed to close "
            f"({votes.electorate} voting members not recused).",
            extra={"votes": votes.votes, "required": votes.required},
        )
    verdict = _verdict_from(votes, verdict)
    snapshot = EvidenceSnapshot.objects.filter(review=review).order_by("-taken_at", "-id").first()
    rationale = (rationale or "").strip()
    override = is_override(verdict=verdict, recommendation=snapshot.recommendation)
    if override and not rationale:
        raise ValidationError(
            {"rationale": ["The decision goes against the recommendation: say why."]}
        )
    conditions = list(conditions)
    if verdict == Verdict.CONDITIONAL_GO and not conditions:
        raise ValidationError({"conditions": ["A conditional go names at least one condition."]})
    if verdict != Verdict.CONDITIONAL_GO and conditions:
        raise ValidationError({"conditions": ["Only a conditional go carries conditions."]})
    if at < review.requested_at:
        raise ValidationError({"at": ["A decision cannot precede its request."]})
    gate_services.review_mark_decided(review=review, at=at)
    hours = Decimal((at - review.requested_at).total_seconds() / 3600).quantize(Decimal("0.01"))
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                review=review,
                board=board,
                snapshot=snapshot,
                verdict=verdict,
                recommendation=snapshot.recommendation,
                is_override=override,
                rationale=rationale,
                votes_for_verdict=votes.tally.get(verdict, 0),
                votes_cast=votes.votes,
                electorate=votes.electorate,
                decided_by=actor,
                decided_at=at,
                latency_hours=hours,
            )
    except IntegrityError as exc:
        raise ConcurrentChange("The review was decided by someone else; reload it.") from exc
    rows = []
    for spec in conditions:
        condition = Condition(
            decision=decision, text=spec.get("text", ""), due_date=spec.get("due_date")
        )
        condition.full_clean(exclude=["decision"])
        rows.append(condition)
    Condition.objects.bulk_create(rows)
    _apply(decision=decision, review=review, actor=actor, at=at)
    _notify_decision(decision=decision, review=review)
    return decision


def _notify_decision(*, decision: Decision, review: GateReview) -> None:
    use_case = review.use_case
    heads = [
        m.user
        for m in Membership.objects.filter(
            department_id=use_case.department_id, role=DepartmentRole.HEAD
        ).select_related("user")
    ]
    people = {u.pk: u for u in [*heads, use_case.sponsor, use_case.outcome_owner] if u}
    flag = " (override)" if decision.is_override else ""
    portfolio_services.notification_send(
        recipients=people.values(),
        kind="decision_made",
        subject=f"{review.gate} decision{flag}: {decision.get_verdict_display()} for "
        f"{use_case.title}",
        body=decision.rationale or f"The board decided {decision.get_verdict_display()}.",
        use_case=use_case,
    )


@transaction.atomic
def condition_resolve(
    *, condition: Condition, actor, met: bool, note: str = "", at: datetime | None = None
) -> Condition:
    """Mark a condition of a conditional go met or not met (the chair, or an administrator)."""
    review = condition.decision.review
    if not rules.has_perm("governance.resolve_condition", actor, review):
        raise PermissionDenied("Only the board's chair resolves a condition.")
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    if condition.status != ConditionStatus.OPEN:
        raise ConflictError("The condition is already resolved.", code="condition_resolved")
    condition.status = ConditionStatus.MET if met else ConditionStatus.UNMET
    condition.resolved_at, condition.resolved_by, condition.note = _now(at), actor, note
    condition.save(update_fields=["status", "resolved_at", "resolved_by", "note"])
    return condition


@transaction.atomic
def condition_overdue_review(*, condition: Condition, at: datetime | None = None):
    """Open the mandatory re-review for a condition not met by its due date (by the system).

    Idempotent: a condition opens at most one re-review, and none is opened while the use
    case has an open review or is no longer in a stage (held, killed, retired). Returns the
    review, or None when nothing was opened.
    """
    at = _now(at)
    condition = (
        Condition.objects.select_for_update()
        .select_related("decision__review__use_case")
        .get(pk=condition.pk)
    )
    if condition.re_review_id or condition.status != ConditionStatus.OPEN:
        return None
    if condition.due_date >= at.date():
        return None
    gate_review = condition.decision.review
    use_case = gate_review.use_case
    if use_case.state not in PASSED_GATE_FOR_STATE:
        return None
    if GateReview.objects.filter(use_case=use_case, status=ReviewStatus.OPEN).exists():
        return None
    review = review_request(
        use_case=use_case,
        actor=None,
        purpose=Purpose.RE_REVIEW,
        gate=gate_review.gate,
        reason=f"Condition overdue since {condition.due_date:%Y-%m-%d}: {condition.text}",
        at=at,
    )
    Condition.objects.filter(pk=condition.pk).update(re_review=review)
    return review


# --- re-baselining --------------------------------------------------------------------------


@transaction.atomic
def rebaseline_request(
    *,
    metric: Metric,
    actor,
    baseline,
    target,
    reason: str,
    at: datetime | None = None,
) -> RebaselineRequest:
    """Ask the board to move a locked metric's baseline and target; both values stay."""
    use_case = metric.use_case
    if not rules.has_perm("portfolio.manage_use_case", actor, use_case):
        raise PermissionDenied("Only the use case's department head asks to re-baseline.")
    if use_case.metrics_locked_at is None:
        raise ConflictError(
            "The goalposts are not locked yet: edit the metric directly.", code="not_locked"
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the goalposts should move."]})
    request = RebaselineRequest(
        metric=metric,
        old_baseline=metric.baseline,
        old_target=metric.target,
        new_baseline=baseline,
        new_target=target,
        reason=reason,
        requested_by=actor,
        requested_at=_now(at),
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def rebaseline_decide(
    *,
    request: RebaselineRequest,
    actor,
    approve: bool,
    comment: str = "",
    at: datetime | None = None,
) -> RebaselineDecision:
    """The board's chair approves (and applies) or rejects a re-baselining request."""
    metric = Metric.objects.select_related("use_case").get(pk=request.metric_id)
    if not rules.has_perm("governance.decide_rebaseline", actor, metric.use_case):
        raise PermissionDenied("Only the board's chair decides a re-baselining.")
    request = RebaselineRequest.objects.select_for_update().get(pk=request.pk)
    if RebaselineDecision.objects.filter(request=request).exists():
        raise ConflictError("The request is already decided.", code="rebaseline_decided")
    try:
        with transaction.atomic():
            decision = RebaselineDecision.objects.create(
                request=request,
                board=_board_of(metric.use_case),
                outcome=RebaselineOutcome.APPROVED if approve else RebaselineOutcome.REJECTED,
                comment=comment,
                decided_by=actor,
                decided_at=_now(at),
            )
    except IntegrityError as exc:
        raise ConcurrentChange() from exc
    if approve:
        portfolio_services.metric_rebaseline(
            metric=metric,
            baseline=request.new_baseline,
            target=request.new_target,
            approval=request,
        )
    return decision
