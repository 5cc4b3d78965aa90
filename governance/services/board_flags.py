"""A board's two flags, stored like a use case's: raised when the cause appears, cleared when
it goes (the row stays as history), the board's members told of each new one and the
subscribers sent board_flag_raised / board_flag_cleared (PRODUCT.md, "A decision objective
per board": "objective at risk" at a 7-day burn rate of 2 or more, "objective missed" when
the error budget is spent)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from core.events import Event, events_publish, has_subscribers
from governance.choices import BoardFlagKind
from governance.looks_ahead import Objective
from governance.models import BoardFlag, BoardMember
from governance.selectors_looks_ahead import board_objectives
from portfolio.services.flags import ReconcileResult
from portfolio.services.notifications import Message, notifications_send


def board_flag_causes(figures: Objective) -> dict[str, str]:
    """The flags one board's figures call for, each with its reason in words."""
    causes = {}
    if figures.at_risk:
        causes[BoardFlagKind.OBJECTIVE_AT_RISK] = (
            f"7-day burn rate {figures.burn_rate:.2f} (at least 2): {figures.burn_misses} of "
            f"{figures.burn_events} decisions in the last 7 days missed the "
            f"{figures.target_hours}-hour target."
        )
    if figures.missed:
        causes[BoardFlagKind.OBJECTIVE_MISSED] = (
            f"Error budget spent: {figures.misses} misses of {figures.events} in "
            f"{figures.window_days} days against a budget of {figures.budget:.2f}."
        )
    return causes


@transaction.atomic
def board_flags_refresh(*, at: datetime | None = None) -> dict[str, ReconcileResult]:
    """Make each active board's open flags match its figures now; a flag of a board that is
    no longer active is cleared. Idempotent; 3 queries for the figures, 1 for the open
    flags, then one write per change."""
    at = at or timezone.now()
    causes: dict[tuple[int, str], str] = {}
    boards = {}
    for entry in board_objectives(at=at):
        boards[entry.board.pk] = entry.board
        for kind, reason in board_flag_causes(entry.figures).items():
            causes[(entry.board.pk, kind)] = reason
    open_flags = {
        (flag.board_id, flag.kind): flag
        for flag in BoardFlag.objects.select_for_update(of=("self",))
        .select_related("board")
        .filter(cleared_at__isnull=True)
    }
    gone = [flag for key, flag in open_flags.items() if key not in causes]
    for flag in gone:
        flag.cleared_at, flag.clear_reason = at, "The cause is gone."
    BoardFlag.objects.bulk_update(gone, ["cleared_at", "clear_reason"])
    raised = BoardFlag.objects.bulk_create(
        [
            BoardFlag(board=boards[pk], kind=kind, reason=reason, raised_at=at)
            for (pk, kind), reason in causes.items()
            if (pk, kind) not in open_flags
        ]
    )
    _notify(raised)
    if has_subscribers():
        _publish(raised=raised, cleared=gone, at=at)
    return {
        kind: ReconcileResult(
            raised=sum(f.kind == kind for f in raised),
            cleared=sum(f.kind == kind for f in gone),
            still_open=sum(k == kind for _, k in causes),
        )
        for kind in BoardFlagKind.values
    }


def _notify(raised: list[BoardFlag]) -> None:
    """Each new flag to its board's active members (one bulk insert, mailed after commit)."""
    if not raised:
        return
    members: dict[int, list] = {}
    for seat in BoardMember.objects.filter(
        board_id__in={f.board_id for f in raised}, active=True
    ).select_related("user"):
        members.setdefault(seat.board_id, []).append(seat.user)
    notifications_send(
        messages=[
            Message(
                recipient=person,
                kind="flag_raised",
                subject=f"{flag.get_kind_display()}: {flag.board.name}",
                body=flag.reason,
                link=f"/boards/{flag.board_id}/",
            )
            for flag in raised
            for person in members.get(flag.board_id, [])
        ]
    )


def _publish(*, raised: list[BoardFlag], cleared: list[BoardFlag], at: datetime) -> None:
    events = [
        Event(
            type=event_type,
            title=format_lazy(title, flag=flag.get_kind_display(), board=flag.board.name),
            summary=gettext_lazy("The cause is gone.") if cleared_ else flag.reason,
            data={"kind": flag.kind, "flag_id": flag.pk},
            path=f"/boards/{flag.board_id}/",
            board_id=flag.board_id,
            occurred_at=at,
        )
        for flags, event_type, title, cleared_ in (
            (raised, "board_flag_raised", gettext_lazy("{flag}: {board}"), False),
            (cleared, "board_flag_cleared", gettext_lazy("{flag} cleared: {board}"), True),
        )
        for flag in flags
    ]
    events_publish(events)
