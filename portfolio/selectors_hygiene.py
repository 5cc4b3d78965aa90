"""Portfolio hygiene and momentum reads for the dashboard: open flags, zombies, pilots past
their time box and what they cost, template reuse, origination mix, expected versus realised
benefit (each a fixed number of queries, whatever the portfolio size)."""

from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Round, TruncMonth
from django.utils import timezone

from portfolio.choices import Origin, State, Transition
from portfolio.models import Flag, TransitionRecord, UseCase, VelocitySnapshot
from portfolio.models.velocity import PORTFOLIO_SCOPE

MONEY = DecimalField(max_digits=18, decimal_places=4)
ZERO = Value(Decimal(0), output_field=MONEY)
CENT = Decimal("0.01")


def flags_by_kind(*, open_only: bool = True, department_id: int | None = None) -> dict:
    """Flags grouped by kind, with their use cases and departments loaded (1 query)."""
    flags = Flag.objects.select_related("use_case", "use_case__department")
    if open_only:
        flags = flags.filter(cleared_at__isnull=True)
    if department_id is not None:
        flags = flags.filter(use_case__department_id=department_id)
    grouped: dict[str, list[Flag]] = {}
    for flag in flags.order_by("kind", "-raised_at", "-id"):
        grouped.setdefault(flag.kind, []).append(flag)
    return grouped


def zombies(*, at=None) -> QuerySet:
    """Use cases on hold for more than ``FLYWHEEL_ZOMBIE_DAYS`` days (1 query)."""
    at = at or timezone.now()
    cutoff = at - timezone.timedelta(days=settings.FLYWHEEL_ZOMBIE_DAYS)
    return (
        UseCase.objects.filter(state=State.ON_HOLD, state_changed_at__lt=cutoff)
        .select_related("department", "outcome_owner")
        .order_by("state_changed_at")
    )


class DaysBetween(Func):
    """Calendar days (with a fraction) from the first timestamp to the second, in SQL."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        start, end = self.get_source_expressions()
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        params = [*end_params, *start_params]
        if connection.vendor == "postgresql":
            return f"(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 86400.0)", params
        # SQLite: julianday counts days since an epoch, fractions included.
        return f"(julianday({end_sql}) - julianday({start_sql}))", params


def pilots_with_days(*, at=None, among: QuerySet | None = None) -> QuerySet:
    """Use cases in pilot with ``pilot_started_at`` (the first entry into pilot in the
    record) and ``days_in_pilot`` annotated (a lazy QuerySet)."""
    at = at or timezone.now()
    started = (
        TransitionRecord.objects.filter(
            use_case_id=OuterRef("pk"), transition=Transition.ADVANCE_TO_PILOT
        )
        .order_by()
        .values("use_case_id")
        .annotate(first=Min("at"))
        .values("first")
    )
    return (
        (UseCase.objects.all() if among is None else among)
        .filter(state=State.PILOT)
        .annotate(pilot_started_at=Subquery(started))
        .annotate(days_in_pilot=DaysBetween(F("pilot_started_at"), Value(at)))
        .filter(pilot_started_at__isnull=False)
    )


def pilots_past_time_box(*, at=None, among: QuerySet | None = None) -> QuerySet:
    """Use cases in pilot longer than their time box, longest-running first (a lazy
    QuerySet: filtered in SQL, nothing loaded until it is read).

    The pilot's clock starts at its G0 move, the first entry into pilot in the record;
    ``days_in_pilot`` is annotated. ``among`` narrows the use cases considered (pilot
    purgatory: those with no review open).
    """
    return (
        pilots_with_days(at=at, among=among)
        .filter(days_in_pilot__gt=F("pilot_time_box_days"))
        .select_related("department", "outcome_owner")
        .order_by("pilot_started_at", "id")
    )


def pilot_overrun_spend(*, at=None) -> dict:
    """Money spent on pilots past their time box: build cost plus run cost pro rata, summed
    per department in SQL (1 query); ``use_cases`` is the lazy list of those pilots."""
    at = at or timezone.now()
    pilots = pilots_past_time_box(at=at)
    spend = Coalesce(F("build_cost"), ZERO) + Coalesce(F("run_cost_yearly"), ZERO) * Cast(
        F("days_in_pilot"), MONEY
    ) / Value(Decimal(365), output_field=MONEY)
    rows = (
        pilots.order_by()
        .values("department__name")
        .annotate(count=Count("id"), spent=Sum(Round(spend, 2, output_field=MONEY)))
        .order_by("department__name")
    )
    by_department = {
        row["department__name"]: Decimal(row["spent"] or 0).quantize(CENT) for row in rows
    }
    return {
        "total": sum(by_department.values(), Decimal(0)).quantize(CENT),
        "count": sum(row["count"] for row in rows),
        "by_department": by_department,
        "use_cases": pilots,
    }


def template_time_saved(*, measure: str = "to_scale") -> dict:
    """Mean duration of use cases built on a template versus from scratch, and the days saved
    (portfolio scope, 1 query)."""
    rows = (
        VelocitySnapshot.objects.filter(
            scope=PORTFOLIO_SCOPE, period="", measure=measure, use_case__isnull=False
        )
        .values(templated=Q(use_case__template__isnull=False))
        .annotate(mean_days=Avg("value"), count=Count("id"))
    )
    by = {row["templated"]: row for row in rows}
    template, scratch = by.get(True), by.get(False)
    saved = None
    if template and scratch:
        saved = Decimal(scratch["mean_days"] - template["mean_days"]).quantize(Decimal("0.0001"))
    return {
        "measure": measure,
        "template_mean_days": template and template["mean_days"],
        "template_count": template["count"] if template else 0,
        "scratch_mean_days": scratch and scratch["mean_days"],
        "scratch_count": scratch["count"] if scratch else 0,
        "days_saved": saved,
    }


def bottom_up_share_by_month() -> list[dict]:
    """Per month of submission: submitted use cases and the share that were bottom-up (1 query)."""
    rows = (
        UseCase.objects.filter(submitted_at__isnull=False)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(total=Count("id"), bottom_up=Count("id", filter=Q(origin=Origin.BOTTOM_UP)))
        .order_by("month")
    )
    return [
        {
            "month": row["month"].strftime("%Y-%m"),
            "total": row["total"],
            "bottom_up": row["bottom_up"],
            "share": row["bottom_up"] / row["total"] if row["total"] else None,
        }
        for row in rows
    ]


def benefit_expected_vs_realised() -> list[dict]:
    """Per department: expected versus realised yearly benefit of the live use cases (1 query)."""
    rows = (
        UseCase.objects.filter(state__in=[State.SCALE, State.EXTEND])
        .values(department_name=F("department__name"), department_ref=F("department_id"))
        .annotate(
            live=Count("id"),
            expected=Sum("expected_benefit_yearly"),
            realised=Sum("realised_benefit_yearly"),
        )
        .order_by("department_name")
    )
    return list(rows)
