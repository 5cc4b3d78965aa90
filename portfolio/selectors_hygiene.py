"""Portfolio hygiene and momentum reads for the dashboard: open flags, zombies, pilots past
their time box and what they cost, template reuse, origination mix, expected versus realised
benefit (each a fixed number of queries, whatever the portfolio size)."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from portfolio.choices import Origin, State
from portfolio.models import (
    Flag,
    UseCase,
    VelocitySnapshot,
)
from portfolio.models.velocity import PORTFOLIO_SCOPE


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


def pilots_past_time_box(*, at=None, among: QuerySet | None = None) -> list[UseCase]:
    """Use cases in pilot longer than their time box, longest-running first (1 query).

    The pilot's clock starts at its G0 move, the first entry into pilot in the record.
    ``among`` narrows the use cases considered (pilot purgatory: those with no review open).
    """
    at = at or timezone.now()
    rows = (
        (UseCase.objects.all() if among is None else among)
        .filter(state=State.PILOT)
        .annotate(pilot_started_at=_first_entered("advance_to_pilot"))
        .select_related("department", "outcome_owner")
        .order_by("pilot_started_at", "id")
    )
    return [
        row
        for row in rows
        if row.pilot_started_at is not None
        and row.pilot_started_at + timezone.timedelta(days=row.pilot_time_box_days) < at
    ]


def _first_entered(transition: str):
    return Min("transitions__at", filter=Q(transitions__transition=transition))


def pilot_overrun_spend(*, at=None) -> dict:
    """Money spent on pilots past their time box: build cost plus run cost pro rata (1 query)."""
    at = at or timezone.now()
    total = Decimal(0)
    by_department: dict[str, Decimal] = {}
    pilots = pilots_past_time_box(at=at)
    for pilot in pilots:
        days = Decimal((at - pilot.pilot_started_at).total_seconds() / 86400)
        spend = (pilot.build_cost or 0) + (pilot.run_cost_yearly or 0) * days / Decimal(365)
        spend = spend.quantize(Decimal("0.01"))
        total += spend
        name = pilot.department.name
        by_department[name] = by_department.get(name, Decimal(0)) + spend
    return {"total": total, "by_department": by_department, "use_cases": pilots}


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
