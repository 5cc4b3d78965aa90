"""Raising and clearing flags: the jobs say which use cases have a cause now, this keeps the
history (a cleared flag stays; a cause that returns raises a new flag) and tells the owner
and the department head about each new flag."""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from core.events import Event, events_publish, has_subscribers
from portfolio.adoption import plateau
from portfolio.choices import ACTIVE_STATES, CADENCE_DAYS, DepartmentRole, State
from portfolio.diagnostic import RED
from portfolio.models import (
    Flag,
    FlagKind,
    ForecastSnapshot,
    Membership,
    Metric,
    MetricReading,
    UseCase,
    VelocitySnapshot,
)
from portfolio.selectors_diagnostic import diagnostics_for
from portfolio.selectors_hygiene import pilots_with_days
from portfolio.services.notifications import Message, notifications_batched, notifications_send

logger = logging.getLogger(__name__)

# Which duration measures end at the stage a use case reached last: a use case is judged
# "slower than previous" on its latest completed step only, so an old slowdown clears
# once it moves on at a better pace.
LATEST_MEASURES = {
    State.PILOT: ("intake",),
    State.SCALE: ("pilot", "to_scale"),
    State.EXTEND: ("to_extend",),
}
MEASURE_NAMES = {
    "intake": "Intake time",
    "pilot": "Pilot time",
    "to_scale": "Time to scale",
    "to_extend": "Time to extend",
}
# Flags are about work in progress: drafts and closed use cases are never flagged.
WATCHED_STATES = (*ACTIVE_STATES, State.ON_HOLD)
# A stall is about work in flight (PRODUCT.md): never raised at submission or on hold.
IN_FLIGHT_STATES = (State.PILOT, State.SCALE, State.EXTEND)


CHUNK = 2000
# Use cases per transaction of a sweep: within SQLite's parameter limit as one id list.
SWEEP_CHUNK = 2000


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@dataclass(frozen=True)
class ReconcileResult:
    raised: int
    cleared: int
    still_open: int


def _notify(flags: list[Flag]) -> None:
    """Tell each new flag's outcome owner and department heads, in one bulk insert (mailed
    after commit by the notifications job, one message per person)."""
    if not flags:
        return
    labels = dict(FlagKind.choices)
    department_ids = {flag.use_case.department_id for flag in flags}
    heads: dict[int, list] = {}
    for membership in Membership.objects.filter(
        department_id__in=department_ids, role=DepartmentRole.HEAD
    ).select_related("user"):
        heads.setdefault(membership.department_id, []).append(membership.user)
    notifications_send(
        messages=[
            Message(
                recipient=person,
                kind="flag_raised",
                subject=format_lazy("{}: {}", labels[flag.kind], flag.use_case.title),
                body=flag.reason,
                use_case=flag.use_case,
                link=f"/use-cases/{flag.use_case_id}/",
            )
            for flag in flags
            for person in [flag.use_case.outcome_owner, *heads.get(flag.use_case.department_id, [])]
        ]
    )


def _publish(*, kind: str, raised: list[Flag], cleared_ids: list[int], at: datetime) -> None:
    """Flag raised / flag cleared events for the subscribers (outbound webhooks)."""
    label = FlagKind(kind).label
    events = [
        Event(
            type="flag_raised",
            title=format_lazy(
                gettext_lazy("{flag}: {title}"), flag=label, title=flag.use_case.title
            ),
            summary=flag.reason,
            data={"use_case_id": flag.use_case_id, "kind": kind, "flag_id": flag.pk},
            path=f"/use-cases/{flag.use_case_id}/",
            department_id=flag.use_case.department_id,
            occurred_at=at,
        )
        for flag in raised
    ]
    for chunk in _chunks(cleared_ids):
        events += [
            Event(
                type="flag_cleared",
                title=format_lazy(gettext_lazy("{flag} cleared: {title}"), flag=label, title=title),
                summary=gettext_lazy("The cause is gone."),
                data={"use_case_id": pk, "kind": kind},
                path=f"/use-cases/{pk}/",
                department_id=department_id,
                occurred_at=at,
            )
            for pk, title, department_id in UseCase.objects.filter(pk__in=chunk).values_list(
                "pk", "title", "department_id"
            )
        ]
    events_publish(events)


def _reconcile(
    *, causes_by_kind: Mapping[str, Mapping[int, str]], open_flags, at: datetime
) -> dict[str, ReconcileResult]:
    """Make the open flags of each kind match its causes, set-wise: one read (locked) of the
    open flags of every kind, one update per kind with flags to clear, one insert of every
    new flag; then the flags this call raised are read back, their people notified and the
    events published, CHUNK use cases at a time (memory bounded whatever the number).
    ``open_flags`` is the locked queryset of the open flags in scope.
    """
    kinds = list(causes_by_kind)
    open_by_kind: dict[str, set[int]] = {kind: set() for kind in kinds}
    for kind, pk in open_flags.filter(kind__in=kinds).values_list("kind", "use_case_id"):
        open_by_kind[kind].add(pk)
    gone = {kind: sorted(open_by_kind[kind] - set(c)) for kind, c in causes_by_kind.items()}
    cleared = dict.fromkeys(kinds, 0)
    for kind, ids in gone.items():
        # In chunks: an id list of any length stays under SQLite's parameter limit.
        for chunk in _chunks(ids):
            cleared[kind] += Flag.objects.filter(
                kind=kind, cleared_at__isnull=True, use_case_id__in=chunk
            ).update(cleared_at=at, clear_reason="The cause is gone.")
    wanted = {
        (kind, pk)
        for kind, causes in causes_by_kind.items()
        for pk in causes
        if pk not in open_by_kind[kind]
    }
    new_ids = sorted({pk for _, pk in wanted})
    for chunk in _chunks(new_ids):
        Flag.objects.bulk_create(
            [
                Flag(use_case_id=pk, kind=kind, reason=causes_by_kind[kind][pk], raised_at=at)
                for pk in chunk
                for kind in kinds
                if (kind, pk) in wanted
            ],
            ignore_conflicts=True,
            batch_size=CHUNK * len(kinds),
        )
    raised = _announce(kinds=kinds, new_ids=new_ids, wanted=wanted, gone=gone, at=at)
    return {
        kind: ReconcileResult(
            raised=raised[kind],
            cleared=cleared[kind],
            still_open=len(open_by_kind[kind]) - len(gone[kind]) + raised[kind],
        )
        for kind in kinds
    }


def _announce(*, kinds, new_ids: list[int], wanted: set, gone: dict, at: datetime) -> dict:
    """Notify the people of the flags raised (one insert per chunk of use cases) and publish
    the events; the number raised of each kind."""
    raised = dict.fromkeys(kinds, 0)
    publish = has_subscribers()
    for chunk in _chunks(new_ids):
        # ignore_conflicts: a concurrent sweep may have raised the same flag first; only the
        # rows this call wrote (raised at ``at``) are announced.
        flags = [
            flag
            for flag in Flag.objects.filter(
                kind__in=kinds, use_case_id__in=chunk, raised_at=at, cleared_at=None
            ).select_related("use_case", "use_case__outcome_owner")
            if (flag.kind, flag.use_case_id) in wanted
        ]
        _notify(flags)
        for kind in kinds:
            of_kind = [flag for flag in flags if flag.kind == kind]
            raised[kind] += len(of_kind)
            if publish and of_kind:
                _publish(kind=kind, raised=of_kind, cleared_ids=[], at=at)
    if publish:
        for kind, ids in gone.items():
            if ids:
                _publish(kind=kind, raised=[], cleared_ids=ids, at=at)
    return raised


@transaction.atomic
def flags_reconcile(
    *,
    kind: str,
    causes: Mapping[int, str],
    scope_use_case_ids: Iterable[int] | None = None,
    at: datetime | None = None,
) -> ReconcileResult:
    """Make the open flags of ``kind`` match ``causes`` (use case id -> reason).

    A use case with a cause and no open flag gets one (and its people are notified); an
    open flag whose use case has no cause any more is cleared, and stays as history. Only
    flags of use cases in ``scope_use_case_ids`` are cleared when a scope is given (a
    department's sweep leaves other departments alone).
    """
    at = at or timezone.now()
    open_flags = Flag.objects.select_for_update().filter(cleared_at__isnull=True)
    if scope_use_case_ids is not None:
        open_flags = open_flags.filter(use_case_id__in=scope_use_case_ids)
        scope = set(scope_use_case_ids)
        causes = {pk: reason for pk, reason in causes.items() if pk in scope}
    return _reconcile(causes_by_kind={kind: causes}, open_flags=open_flags, at=at)[kind]


def slower_than_previous_causes(
    *, department_id: int | None = None, use_case_ids=None
) -> dict[int, str]:
    """Use cases whose latest completed step was slower than the previous use case's (1 query);
    of a department, or of the use cases ``use_case_ids`` (ids or a query of them)."""
    rows = (
        VelocitySnapshot.objects.filter(
            scope__startswith="department:",
            period="",
            label="slower",
            use_case__state__in=list(LATEST_MEASURES),
        )
        .values_list(
            "use_case_id",
            "use_case__state",
            "measure",
            "value",
            "difference_days",
            "previous_use_case__title",
        )
        .order_by("use_case_id", "measure")
    )
    if department_id is not None:
        rows = rows.filter(use_case__department_id=department_id)
    if use_case_ids is not None:
        rows = rows.filter(use_case_id__in=use_case_ids)
    causes: dict[int, list[str]] = {}
    for pk, state, measure, value, difference, previous in rows:
        if measure not in LATEST_MEASURES[state]:
            continue
        causes.setdefault(pk, []).append(
            f"{MEASURE_NAMES[measure]} {value:.1f} days, {difference:.1f} days slower than "
            f"'{previous}'."
        )
    return {pk: " ".join(parts) for pk, parts in causes.items()}


def stall_causes(*, use_case_ids, at: datetime | None = None) -> dict[int, str]:
    """Use cases with three or more red diagnostic lines (five queries)."""
    causes = {}
    for pk, diagnostic in diagnostics_for(use_case_ids=use_case_ids, at=at).items():
        if diagnostic.stalled:
            red = [line.title for line in diagnostic.lines if line.colour == RED]
            causes[pk] = f"{len(red)} red diagnostic lines: {', '.join(str(t) for t in red)}."
    return causes


def stale_metric_causes(*, use_case_ids, at: datetime) -> dict[int, str]:
    """Use cases with a metric not read for twice its cadence (1 query).

    A metric never read counts from the use case's submission.
    """
    causes: dict[int, list[str]] = {}
    metrics = (
        Metric.objects.active(at)
        .filter(use_case_id__in=use_case_ids)
        .exclude(use_case__state=State.ON_HOLD)
        .annotate(
            last_read=Max("readings__measured_at", filter=Q(readings__superseded_by__isnull=True))
        )
        .values_list("use_case_id", "name", "cadence", "last_read", "use_case__submitted_at")
        .order_by("use_case_id", "name")
    )
    for pk, name, cadence, last_read, submitted_at in metrics:
        since = last_read or submitted_at
        allowed = 2 * CADENCE_DAYS[cadence]
        if since is None or (at - since).total_seconds() / 86400 <= allowed:
            continue
        what = "never read" if last_read is None else f"last read {last_read:%Y-%m-%d}"
        causes.setdefault(pk, []).append(f"{name}: {what} (cadence {cadence}, {allowed} days).")
    return {pk: " ".join(parts) for pk, parts in causes.items()}


def behind_forecast_causes(*, use_case_ids, at: datetime) -> dict[int, str]:
    """Pilots running past the upper end of their pilot-time forecast's 80% interval
    (1 query). The pilot's clock is the one of pilot purgatory: from its first entry into
    pilot. Exactly at the upper end is not past it."""
    high = ForecastSnapshot.objects.filter(use_case_id=OuterRef("pk"), measure="pilot")
    pilots = (
        pilots_with_days(at=at, among=UseCase.objects.filter(pk__in=use_case_ids))
        .annotate(
            forecast_days=Subquery(high.values("days")[:1]),
            forecast_high=Subquery(high.values("high")[:1]),
        )
        .filter(forecast_high__isnull=False, days_in_pilot__gt=F("forecast_high"))
        .values_list("pk", "days_in_pilot", "forecast_days", "forecast_high")
        .order_by("pk")
    )
    return {
        pk: (
            f"In pilot for {days:.1f} days, past the forecast's 80% upper end of "
            f"{high_days:.1f} days (forecast {forecast_days:.1f} days)."
        )
        for pk, days, forecast_days, high_days in pilots
    }


def adoption_plateau_causes(*, use_case_ids) -> dict[int, str]:
    """Use cases with a metric whose adoption has plateaued (portfolio.adoption; 1 query:
    the current readings of their active metrics with a direction and a target)."""
    readings = (
        MetricReading.objects.current()
        .filter(
            metric__use_case_id__in=use_case_ids,
            metric__retired_at__isnull=True,
            metric__target__isnull=False,
        )
        .values_list(
            "metric__use_case_id",
            "metric_id",
            "metric__name",
            "metric__direction",
            "metric__target",
            "measured_at",
            "value",
        )
        .order_by("metric__use_case_id", "metric_id", "measured_at", "id")
    )
    series: dict[tuple, list] = {}
    for pk, metric_id, name, direction, target, measured_at, value in readings:
        series.setdefault((pk, metric_id, name, direction, target), []).append((measured_at, value))
    causes: dict[int, list[str]] = {}
    for (pk, _, name, direction, target), points in series.items():
        found = plateau(points, direction=direction, target=target)
        if found is not None:
            causes.setdefault(pk, []).append(
                f"{name}: late slope {found.late:.4g} a day against {found.early:.4g} early, "
                f"latest {found.latest:g}, target {found.target:g}."
            )
    return {pk: " ".join(parts) for pk, parts in causes.items()}


def _sweep_chunks(department_id: int | None):
    """The use cases in the sweep's scope, SWEEP_CHUNK at a time in id order (keyset): the
    id list of each chunk. Every use case, closed ones included (their flags are cleared)."""
    use_cases = UseCase.objects.order_by("pk")
    if department_id is not None:
        use_cases = use_cases.filter(department_id=department_id)
    last = None
    while True:
        page = use_cases if last is None else use_cases.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:SWEEP_CHUNK])
        if not ids:
            return
        yield ids
        last = ids[-1]


def flags_sweep(*, department_id: int | None = None, at: datetime | None = None) -> dict:
    """Raise and clear the portfolio's own flags: slower than previous, stall in progress,
    stale metrics (the review-dependent flags are swept by the layer that owns the reviews).

    In chunks of SWEEP_CHUNK use cases, each in its own transaction (its causes read, its
    flags reconciled set-wise, its people notified in one insert): memory and lock time stay
    bounded whatever the size, and a sweep stopped between chunks leaves every chunk done
    whole or not at all (the next sweep completes it). The mail job starts once, at the end.
    """
    at = at or timezone.now()
    kinds = (
        FlagKind.SLOWER_THAN_PREVIOUS,
        FlagKind.STALL_IN_PROGRESS,
        FlagKind.STALE_METRICS,
        FlagKind.BEHIND_FORECAST,
        FlagKind.ADOPTION_PLATEAU,
    )
    totals = {kind: ReconcileResult(raised=0, cleared=0, still_open=0) for kind in kinds}
    swept = 0
    with notifications_batched():
        for ids in _sweep_chunks(department_id):
            swept += len(ids)
            for kind, result in _sweep_chunk(ids, at=at).items():
                total = totals[kind]
                totals[kind] = ReconcileResult(
                    raised=total.raised + result.raised,
                    cleared=total.cleared + result.cleared,
                    still_open=total.still_open + result.still_open,
                )
            logger.debug("flag sweep: %d use cases swept", swept)
    return totals


@transaction.atomic
def _sweep_chunk(ids: list[int], *, at: datetime) -> dict[str, ReconcileResult]:
    """One chunk of the sweep, in one transaction and a fixed number of queries."""
    chunk = UseCase.objects.filter(pk__in=ids)
    watched = chunk.filter(state__in=WATCHED_STATES).values_list("pk", flat=True)
    in_flight = chunk.filter(state__in=IN_FLIGHT_STATES).values_list("pk", flat=True)
    causes_by_kind = {
        FlagKind.SLOWER_THAN_PREVIOUS: slower_than_previous_causes(use_case_ids=ids),
        FlagKind.STALL_IN_PROGRESS: stall_causes(use_case_ids=in_flight, at=at),
        FlagKind.STALE_METRICS: stale_metric_causes(use_case_ids=watched, at=at),
        FlagKind.BEHIND_FORECAST: behind_forecast_causes(use_case_ids=ids, at=at),
        FlagKind.ADOPTION_PLATEAU: adoption_plateau_causes(use_case_ids=in_flight),
    }
    open_flags = Flag.objects.select_for_update().filter(
        cleared_at__isnull=True, use_case_id__in=ids
    )
    return _reconcile(causes_by_kind=causes_by_kind, open_flags=open_flags, at=at)
