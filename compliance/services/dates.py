"""The catalogue's loading and the dates of application: a corrected date moves the due
dates of the open obligations generated from it."""

from datetime import date

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from compliance import applicability, application_dates, catalogue
from compliance.choices import OPEN_STATUSES
from compliance.models import ApplicationDate, CatalogueVersion, Obligation, ObligationType
from core.events import Event, actor_of, events_publish
from portfolio import services as portfolio_services
from portfolio.models import UseCase

DATE_MOVED = "obligation_date_moved"


@transaction.atomic
def catalogue_load() -> int:
    """Create the shipped dates and duties that do not exist yet, and record the catalogue's
    version (idempotent; administrators' corrections are never overwritten). Returns how many
    rows were created. Existing installations are brought to a new version by migration."""
    created = 0
    for row in application_dates.APPLICATION_DATES:
        fields = application_dates.date_fields(row)
        _, made = ApplicationDate.objects.get_or_create(key=fields.pop("key"), defaults=fields)
        created += made
    dates = {d.key: d for d in ApplicationDate.objects.all()}
    for spec in catalogue.OBLIGATION_TYPES:
        fields = {**spec, "application_date": dates[spec["application_date"]]}
        _, made = ObligationType.objects.get_or_create(code=spec["code"], defaults=fields)
        created += made
    CatalogueVersion.objects.get_or_create(
        version=catalogue.VERSION,
        defaults={
            "reviewed_on": date.fromisoformat(application_dates.REVIEWED_ON),
            "notes": catalogue.VERSION_NOTES,
        },
    )
    return created


def catalogue_current() -> CatalogueVersion | None:
    """The catalogue version in force here, with its review date."""
    return CatalogueVersion.objects.order_by("-applied_at", "-id").first()


def _on_date(*, key: str) -> list[Obligation]:
    """The open obligations whose due date depends on the application date ``key`` (a
    high-risk duty of an Annex I system depends on the Annex I date)."""
    keys = {key, applicability.ANNEX_III_DATE} if key == applicability.ANNEX_I else {key}
    candidates = (
        Obligation.objects.filter(
            status__in=OPEN_STATUSES, obligation_type__application_date__key__in=keys
        )
        .select_related("use_case", "owner", "obligation_type__application_date")
        .order_by("id")
    )
    return [
        o
        for o in candidates
        if applicability.date_key(o.obligation_type.application_date.key, _route(o.use_case)) == key
    ]


def _route(use_case: UseCase) -> applicability.Facts:
    # Only what date_key reads: the route to high risk.
    return applicability.Facts(
        tier=use_case.risk_tier,
        annex_iii=bool(use_case.risk_annex_iii_area),
        safety_component=bool(use_case.risk_safety_component),
        transparency=False,
        role="provider",
    )


@transaction.atomic
def application_date_update(
    *, application_date: ApplicationDate, actor, reason: str = "", **changes
) -> tuple[ApplicationDate, list[Obligation]]:
    """Correct a date of application (the admin): the open obligations whose due date was
    generated from it follow, each with the change in its history and its owner told; met
    ones are never touched. Returns the date and the obligations moved."""
    row = ApplicationDate.objects.select_for_update().get(pk=application_date.pk)
    old = row.applies_from
    for name, value in changes.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    moved = obligations_follow_date(
        key=row.key,
        old_applies=old,
        new_applies=row.applies_from,
        actor=actor,
        reason=reason or f"{row.provision[:60]}: date of application corrected",
    )
    return row, moved


def obligations_follow_date(
    *, key: str, old_applies: date, new_applies: date, actor=None, reason: str
) -> list[Obligation]:
    """Move the due dates of the open obligations that depend on ``key`` from the old date
    of application to the new one (see ``due_date_moved``); history and owners told."""
    moved = []
    for obligation in _on_date(key=key):
        new_due = applicability.due_date_moved(
            due=obligation.due_date,
            old_applies=old_applies,
            new_applies=new_applies,
        )
        if new_due is None:
            continue
        before = obligation.due_date
        obligation.due_date, obligation.due_announced_at = new_due, None
        obligation._history_user = actor if getattr(actor, "pk", None) else None
        obligation._change_reason = f"due {before} -> {new_due}: {reason}"[:100]
        obligation.save(update_fields=["due_date", "due_announced_at", "updated_at"])
        moved.append((obligation, before))
    events_publish(
        [
            Event(
                type=DATE_MOVED,
                title=format_lazy(
                    gettext_lazy("{article} for {title}: now due {due}"),
                    article=o.obligation_type.article,
                    title=o.use_case.title,
                    due=f"{o.due_date:%Y-%m-%d}",
                ),
                summary=format_lazy(
                    gettext_lazy("The due date moved from {before} to {due}: {reason}."),
                    before=f"{before:%Y-%m-%d}",
                    due=f"{o.due_date:%Y-%m-%d}",
                    reason=reason,
                ),
                data={
                    "obligation_id": o.pk,
                    "use_case_id": o.use_case_id,
                    "article": o.obligation_type.article,
                    "old_due_date": before.isoformat(),
                    "due_date": o.due_date.isoformat(),
                    "owner_id": o.owner_id,
                },
                path=f"/compliance/use-cases/{o.use_case_id}/",
                department_id=o.use_case.department_id,
                actor=actor_of(actor),
            )
            for o, before in moved
        ]
    )
    for obligation, before in moved:
        if obligation.owner_id:
            portfolio_services.notification_send(
                recipients=[obligation.owner],
                kind=DATE_MOVED,
                subject=f"{obligation.obligation_type.article} for "
                f"{obligation.use_case.title}: now due {obligation.due_date:%d %B %Y}",
                body=f"The due date moved from {before:%d %B %Y} to "
                f"{obligation.due_date:%d %B %Y}: {reason}.",
                use_case=obligation.use_case,
            )
    return [o for o, _ in moved]
