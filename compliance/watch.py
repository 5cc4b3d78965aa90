"""The flag "obligation overdue": raised while a use case in flight has an open obligation
past its due date, cleared when none is left. The portfolio's flag service keeps the
history and notifies; this module only says which use cases have a cause now."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from compliance.choices import OPEN_STATUSES
from compliance.models import Obligation
from core.events import Event, events_publish
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


def obligations_due_announce(*, at: datetime) -> int:
    """Publish one "obligation due" event per open obligation that has passed its due date
    and was not announced yet (webhooks and chat hear it); each is announced once."""
    due = list(
        Obligation.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES, due_date__lt=at.date(), due_announced_at__isnull=True)
        .select_related("use_case", "obligation_type")
        .order_by("due_date", "id")
    )
    if not due:
        return 0
    events_publish(
        [
            Event(
                type="obligation_due",
                title=format_lazy(
                    gettext_lazy("{article} due for {title}"),
                    article=o.obligation_type.article,
                    title=o.use_case.title,
                ),
                summary=format_lazy(
                    gettext_lazy("{obligation} was due {due}; its status: {status}."),
                    obligation=o.obligation_type.title,
                    due=f"{o.due_date:%Y-%m-%d}",
                    status=o.get_status_display(),
                ),
                data={
                    "obligation_id": o.pk,
                    "use_case_id": o.use_case_id,
                    "article": o.obligation_type.article,
                    "due_date": o.due_date.isoformat(),
                    "owner_id": o.owner_id,
                },
                path=f"/compliance/use-cases/{o.use_case_id}/",
                department_id=o.use_case.department_id,
                occurred_at=at,
            )
            for o in due
        ]
    )
    Obligation.objects.filter(pk__in=[o.pk for o in due]).update(due_announced_at=at)
    return len(due)


def obligations_sweep(*, at: datetime | None = None):
    """Raise and clear the "obligation overdue" flags everywhere, and announce the
    obligations that have just come due."""
    at = at or timezone.now()
    with transaction.atomic():
        obligations_due_announce(at=at)
    return flags_reconcile(
        kind=FlagKind.OBLIGATION_OVERDUE, causes=obligation_overdue_causes(at=at), at=at
    )
