"""The flag "obligation overdue": raised while a use case in flight has an open obligation
past its due date, cleared when none is left. The portfolio's flag service keeps the
history and notifies; this module only says which use cases have a cause now."""

from datetime import datetime

from django.utils import timezone

from compliance.choices import OPEN_STATUSES
from compliance.models import Obligation
from portfolio.models import FlagKind
from portfolio.services.flags import WATCHED_STATES, flags_reconcile


def obligation_overdue_causes(*, at: datetime) -> dict[int, str]:
    """Use case id -> reason, for open obligations due before ``at``'s date (1 query).

    Due on a day means due by the end of it: overdue from the next day on.
    """
    causes: dict[int, list[str]] = {}
    rows = (
        Obligation.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__lt=at.date(),
            use_case__state__in=WATCHED_STATES,
        )
        .order_by("use_case_id", "due_date", "id")
        .values_list("use_case_id", "obligation_type__article", "due_date")
    )
    for use_case_id, article, due in rows:
        causes.setdefault(use_case_id, []).append(f"{article} was due {due:%Y-%m-%d}")
    return {pk: "; ".join(parts) + "." for pk, parts in causes.items()}


def obligations_sweep(*, at: datetime | None = None):
    """Raise and clear the "obligation overdue" flags everywhere."""
    at = at or timezone.now()
    return flags_reconcile(
        kind=FlagKind.OBLIGATION_OVERDUE, causes=obligation_overdue_causes(at=at), at=at
    )
