"""Review requests, votes and recusals."""

from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.events import actor_of, event_publish
from gates import services as gate_services
from gates.choices import Purpose
from gates.models import GateReview
from governance import selectors
from governance.choices import Verdict
from governance.models import (
    BoardMember,
    Recusal,
    Vote,
)
from governance.services.common import board_of, lock_open_review, now
from portfolio import services as portfolio_services
from portfolio.models import UseCase


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
    at = now(at)
    if actor is not None and not rules.has_perm("governance.request_review", actor, use_case):
        raise PermissionDenied(_("Only the head of the use case's department requests a review."))
    board = board_of(use_case)
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
    if purpose == Purpose.RE_REVIEW:
        title = gettext_lazy("{gate} re-review requested: {title}")
        summary = gettext_lazy("A {gate} re-review of '{title}' awaits the board.")
    else:
        title = gettext_lazy("{gate} review requested: {title}")
        summary = gettext_lazy("A {gate} review of '{title}' awaits the board.")
    title = format_lazy(title, gate=review.gate, title=use_case.title)
    summary = reason or format_lazy(summary, gate=review.gate, title=use_case.title)
    portfolio_services.notification_send(
        recipients=[seat.user for seat in seats],
        kind="review_requested",
        subject=title,
        body=summary,
        use_case=use_case,
    )
    event_publish(
        "review_requested",
        title=title,
        summary=summary,
        data={
            "review_id": review.pk,
            "use_case_id": use_case.pk,
            "gate": review.gate,
            "purpose": purpose,
        },
        path=f"/reviews/{review.pk}/",
        department_id=use_case.department_id,
        board_id=board.pk,
        actor=actor_of(actor),
        occurred_at=at,
    )
    return review


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
    at = now(at)
    if choice not in Verdict.values:
        raise ValidationError(
            {"choice": [_("Choose one of %(values)s.") % {"values": ", ".join(Verdict.values)}]}
        )
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say why: every vote carries a comment.")]})
    review = lock_open_review(review)
    board = board_of(review)
    own = BoardMember.objects.filter(board=board, user=actor, active=True).first()
    delegation = None
    if on_behalf_of is None:
        seat = own
        if seat is None or not seat.is_voting:
            raise PermissionDenied(_("You hold no voting seat on the board that decides this."))
    else:
        seat = on_behalf_of
        if seat.board_id != board.pk or not (seat.active and seat.is_voting):
            raise PermissionDenied(_("That member holds no voting seat on this board."))
        delegation = (
            selectors.delegation_active(delegator=seat, delegate=own, at=at) if own else None
        )
        if delegation is None:
            raise PermissionDenied(
                _("%(user)s has not delegated their vote to you for now.") % {"user": seat.user}
            )
    department_id = review.use_case.department_id
    # Whoever holds the vote and whoever casts it must both be free of the conflict.
    for person in {seat, own} - {None}:
        if Recusal.objects.filter(review=review, member=person).exists() or (
            selectors.is_conflicted(seat=person, department_id=department_id)
        ):
            raise PermissionDenied(
                _("%(user)s is recused from this review.") % {"user": person.user}
            )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
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
            _("%(user)s has already voted on this review.") % {"user": seat.user},
            code="already_voted",
        ) from exc
    event_publish(
        "vote_cast",
        title=f"Vote on the {review.gate} review of {review.use_case.title}",
        summary=f"{seat.user} voted {vote.get_choice_display()}: {vote.comment}",
        data={
            "review_id": review.pk,
            "vote_id": vote.pk,
            "use_case_id": review.use_case_id,
            "choice": choice,
            "delegated": delegation is not None,
            # The seat the vote counts for (its holder; the actor cast it, for them if
            # delegated).
            "member_user_id": seat.user_id,
        },
        path=f"/reviews/{review.pk}/",
        department_id=department_id,
        board_id=board.pk,
        actor=actor_of(actor),
        occurred_at=at,
    )
    return vote


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
    at = now(at)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the recusal.")]})
    review = lock_open_review(review)
    board = board_of(review)
    if member is None:
        member = BoardMember.objects.filter(board=board, user=actor, active=True).first()
        if member is None:
            raise PermissionDenied(_("You hold no seat on the board that decides this."))
    elif member.user_id != getattr(actor, "pk", None) and not rules.has_perm(
        "governance.close_review", actor, review
    ):
        raise PermissionDenied(_("Only the chair records another member's recusal."))
    if member.board_id != board.pk:
        raise ValidationError({"member": [_("Not a member of the deciding board.")]})
    if Vote.objects.filter(review=review, member=member).exists():
        raise ConflictError(_("The member has voted already."), code="already_voted")
    try:
        with transaction.atomic():
            return Recusal.objects.create(review=review, member=member, reason=reason, at=at)
    except IntegrityError as exc:
        raise ConflictError(_("The member is already recused."), code="already_recused") from exc


# --- decisions ------------------------------------------------------------------------------
