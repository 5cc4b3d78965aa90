"""Escalation of reviews waiting past twice their board's decision target: the board's
named fallback (a member or an executive) is asked in My actions and told once, by a
notification; nothing is decided for the board (PRODUCT.md, "A decision objective")."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from gates.choices import ReviewStatus
from gates.models import GateReview
from governance.looks_ahead import escalated
from governance.selectors_looks_ahead import boards_by_department
from portfolio.models import Notification
from portfolio.services.notifications import Message, notifications_send

KIND = "review_escalated"


def fallback_of(board):
    """The person a board's escalations go to: its named member, else its executive."""
    if board.fallback_member_id and board.fallback_member.active:
        return board.fallback_member.user
    return board.fallback_executive


@transaction.atomic
def review_escalations_notify(*, at: datetime | None = None) -> int:
    """Tell each fallback of the reviews newly past 2 x T (once per review; 4 queries)."""
    at = at or timezone.now()
    deciding, _ = boards_by_department()
    with_fallback = {pk: b for pk, b in deciding.items() if fallback_of(b) is not None}
    if not with_fallback:
        return 0
    reviews = GateReview.objects.filter(
        status=ReviewStatus.OPEN, use_case__department_id__in=list(with_fallback)
    ).select_related("use_case")
    due = []
    for review in reviews:
        board = with_fallback[review.use_case.department_id]
        if escalated(
            requested_at=review.requested_at, target_hours=board.decision_target_hours, at=at
        ):
            due.append((review, board))
    if not due:
        return 0
    told = set(
        Notification.objects.filter(
            kind=KIND, link__in=[f"/reviews/{r.pk}/" for r, _ in due]
        ).values_list("recipient_id", "link")
    )
    messages = []
    for review, board in due:
        person = fallback_of(board)
        link = f"/reviews/{review.pk}/"
        if (person.pk, link) in told:
            continue
        hours = (at - review.requested_at).total_seconds() / 3600
        messages.append(
            Message(
                recipient=person,
                kind=KIND,
                subject=format_lazy(
                    gettext_lazy("Escalated to you: the {gate} review of '{title}'"),
                    gate=review.gate,
                    title=review.use_case.title,
                ),
                body=format_lazy(
                    gettext_lazy(
                        "Open for {hours} hours, past twice {board}'s decision target of "
                        "{target} hours. You are {board}'s fallback: please see that the board "
                        "decides; nothing is decided for it."
                    ),
                    hours=f"{hours:.0f}",
                    board=board.name,
                    target=board.decision_target_hours,
                ),
                use_case=review.use_case,
                link=link,
            )
        )
    if messages:
        notifications_send(messages=messages)
    return len(messages)
