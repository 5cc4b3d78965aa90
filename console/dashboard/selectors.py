"""The portfolio dashboard's figures, each aggregated in SQL in a fixed number of queries.

Nothing here loops over use cases: every figure is a GROUP BY, so the dashboard costs the
same number of queries for ten use cases or ten thousand.
"""

import json
from dataclasses import asdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise

from gates.review_figures import decision_latency_by_month, kill_rate_per_gate
from governance.selectors_looks_ahead import delay_totals
from portfolio.choices import STAGE_ORDER, Origin, State, Transition
from portfolio.models import TransitionRecord, UseCase
from portfolio.models.velocity import (
    PORTFOLIO_SCOPE,
    FigureSnapshot,
    Flag,
    FlagKind,
    SnapshotMeasure,
    VelocitySnapshot,
    VelocityWatermark,
)
from portfolio.selectors_forecast import back_test_figures, reuse_dividend
from portfolio.selectors_hygiene import (
    bottom_up_share_by_month,
    pilot_overrun_spend,
    template_time_saved,
)

# The transition that first brings a use case into each stage of the funnel.
ENTERED_BY = {
    State.SUBMITTED: Transition.SUBMIT,
    State.PILOT: Transition.ADVANCE_TO_PILOT,
    State.SCALE: Transition.ADVANCE_TO_SCALE,
    State.EXTEND: Transition.ADVANCE_TO_EXTEND,
}
MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal(0), output_field=MONEY)


def funnel() -> list[dict]:
    """Use cases that ever reached each stage (from the record), with the conversion from the
    stage before; drafts count every use case created (2 queries)."""
    reached = dict(
        TransitionRecord.objects.filter(transition__in=ENTERED_BY.values())
        .values_list("transition")
        .annotate(n=Count("use_case_id", distinct=True))
        .order_by()
    )
    now = dict(UseCase.objects.values_list("state").annotate(n=Count("id")).order_by())
    rows, previous = [], None
    for stage in STAGE_ORDER:
        count = sum(now.values()) if stage == State.DRAFT else reached.get(ENTERED_BY[stage], 0)
        rows.append(
            {
                "stage": stage,
                "label": State(stage).label,
                "reached": count,
                "now": now.get(stage, 0),
                "conversion": (count / previous) if previous else None,
            }
        )
        previous = count
    return rows


def state_counts() -> dict[str, int]:
    """Use cases in each state now (1 query)."""
    return dict(UseCase.objects.values_list("state").annotate(n=Count("id")).order_by())


def money_by_department() -> list[dict]:
    """Per department, submitted use cases only: first-year cost (build + one year's run),
    expected and realised yearly benefit, and the expected and realised ROI (1 query)."""
    rows = (
        UseCase.objects.exclude(state=State.DRAFT)
        .values("department_id", "department__name")
        .annotate(
            use_cases=Count("id"),
            cost=Coalesce(Sum("build_cost"), ZERO) + Coalesce(Sum("run_cost_yearly"), ZERO),
            expected=Coalesce(Sum("expected_benefit_yearly"), ZERO),
            realised=Coalesce(Sum("realised_benefit_yearly"), ZERO),
        )
        .order_by("department__name")
    )
    result = []
    for row in rows:
        cost = row["cost"] or Decimal(0)
        result.append(
            {
                **row,
                # Exact ratios; the page rounds them (portfolio.display).
                "expected_roi": row["expected"] / cost if cost else None,
                "realised_roi": row["realised"] / cost if cost else None,
            }
        )
    return result


def flags_by_kind() -> list[dict]:
    """Open flags per kind, every kind listed (1 query)."""
    counts = dict(
        Flag.objects.filter(cleared_at__isnull=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"kind": kind, "label": label, "count": counts.get(kind, 0)}
        for kind, label in FlagKind.choices
    ]


def origination_mix() -> list[dict]:
    """Submitted use cases by origin (1 query)."""
    counts = dict(
        UseCase.objects.exclude(state=State.DRAFT)
        .values_list("origin")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"origin": origin, "label": label.split(" (")[0], "count": counts.get(origin, 0)}
        for origin, label in Origin.choices
    ]


def template_reuse() -> dict:
    """Submitted use cases built on a template versus from scratch (1 query), with the days
    the templated ones saved (velocity snapshots, 1 query)."""
    counts = UseCase.objects.exclude(state=State.DRAFT).aggregate(
        templated=Count("id", filter=Q(template__isnull=False)),
        scratch=Count("id", filter=Q(template__isnull=True)),
    )
    return {**counts, "saved": template_time_saved()}


def zombie_summary(*, at=None) -> dict:
    """On hold for more than the zombie threshold: how many, and the cost they carry (1 query)."""
    at = at or timezone.now()
    days = settings.FLYWHEEL_ZOMBIE_DAYS
    summary = UseCase.objects.filter(
        state=State.ON_HOLD, state_changed_at__lt=at - timezone.timedelta(days=days)
    ).aggregate(count=Count("id"), run_cost=Sum("run_cost_yearly"))
    return {**summary, "days": days, "since_before": at - timezone.timedelta(days=days)}


VELOCITY_MEASURES = ("to_scale", "intake", "pilot", "to_extend")
VELOCITY_WINDOW = 30


def velocity_measure(requested: str | None = None) -> str:
    """The measure the velocity chart shows: the one asked for, else time to scale once any
    use case has scaled, else intake time (1 query)."""
    if requested in VELOCITY_MEASURES:
        return requested
    scaled = VelocitySnapshot.objects.filter(
        measure="to_scale", period="", use_case__isnull=False
    ).exists()
    return "to_scale" if scaled else "intake"


def velocity_by_department(*, measure: str = "to_scale") -> dict:
    """Every department's latest ``VELOCITY_WINDOW`` durations in sequence with their
    faster/slower labels, and each department's trend status (3 queries).

    Each sequence's last position first (one aggregate over an index), then the latest
    durations as one index range per department, whatever the portfolio's size.
    """
    rows = VelocitySnapshot.objects.filter(
        scope__startswith="department:", period="", measure=measure, use_case__isnull=False
    )
    # A row without a position is in no sequence (a scope can hold only such rows).
    ends = (
        rows.filter(position__isnull=False).values("scope").annotate(last=Max("position"))
    ).order_by()
    latest = Q(pk__in=[])
    for end in ends:
        latest |= Q(scope=end["scope"], position__gt=end["last"] - VELOCITY_WINDOW)
    trends = VelocitySnapshot.objects.filter(
        scope__startswith="department:",
        period="",
        measure=f"trend:{measure}",
        use_case__isnull=True,
    ).select_related("department")
    sequences = (
        rows.filter(latest)
        .annotate(title=F("use_case__title"))
        .select_related("department")
        .order_by("department__name", "position")
    )
    by_department: dict[int, dict] = {}
    for row in sequences:
        entry = by_department.setdefault(
            row.department_id, {"department": row.department, "points": [], "trend": None}
        )
        entry["points"].append(row)
    for trend in trends:
        entry = by_department.setdefault(
            trend.department_id, {"department": trend.department, "points": [], "trend": None}
        )
        entry["trend"] = trend
    return {
        "measure": measure,
        "measure_label": SnapshotMeasure(measure).label,
        "window": VELOCITY_WINDOW,
        "departments": sorted(by_department.values(), key=lambda e: e["department"].name),
    }


def portfolio_trend(*, measure: str = "to_scale"):
    """The portfolio-wide trend row for a measure, or None (1 query)."""
    return VelocitySnapshot.objects.filter(
        scope=PORTFOLIO_SCOPE, period="", measure=f"trend:{measure}", use_case__isnull=True
    ).first()


def computed_at():
    """When the velocity figures the page reads were last computed by the jobs (1 query)."""
    return VelocityWatermark.objects.aggregate(at=Max("computed_at"))["at"]


# The figures that aggregate the whole record: computed by the job, read from the snapshot.
SNAPSHOT_KEY = "dashboard"


def expensive_figures() -> dict:
    """The dashboard's whole-portfolio aggregates (about ten queries over the record)."""
    overrun = pilot_overrun_spend()
    return {
        "funnel": funnel(),
        "money": money_by_department(),
        "latency": decision_latency_by_month(),
        "origins": origination_mix(),
        "bottom_up_by_month": bottom_up_share_by_month(),
        "templates": template_reuse(),
        "kill_rate": kill_rate_per_gate(),
        "overrun": {key: overrun[key] for key in ("total", "count", "by_department")},
    }


def snapshot_read(key: str = SNAPSHOT_KEY) -> tuple[dict, object] | None:
    """The stored figures and when they were computed, or None before the first job (1 query)."""
    row = FigureSnapshot.objects.filter(key=key).first()
    if row is None:
        return None
    return json.loads(json.dumps(row.figures), object_hook=_decimals), row.computed_at


def _decimals(obj: dict):
    return Decimal(obj["decimal"]) if obj.keys() == {"decimal"} else obj


class FiguresEncoder(json.JSONEncoder):
    """Decimals kept exact through the JSON column ({"decimal": "12.50"}); labels written out
    in the language active when the figures are kept (the site's, for the job)."""

    def default(self, o):
        if isinstance(o, Decimal):
            return {"decimal": str(o)}
        if isinstance(o, Promise):
            return str(o)
        return super().default(o)


def _labels_in_the_readers_language(figures: dict) -> None:
    """The job keeps labels in the language it ran in; each row also keeps its code, so the
    stage and origin names are written again in the reader's language."""
    for row in figures["funnel"]:
        row["label"] = State(row["stage"]).label
    for row in figures["origins"]:
        row["label"] = Origin(row["origin"]).label.split(" (")[0]


def dashboard(*, measure: str | None = None) -> dict:
    """Every figure of the executive dashboard (a fixed number of queries): the whole-record
    aggregates from the job's snapshot when there is one (``snapshot_at`` says when), the
    rest live."""
    measure = velocity_measure(measure)
    stored = snapshot_read()
    figures, snapshot_at = stored if stored else (expensive_figures(), None)
    _labels_in_the_readers_language(figures)
    return {
        **figures,
        "snapshot_at": snapshot_at,
        "computed_at": computed_at(),
        "velocity": velocity_by_department(measure=measure),
        "portfolio_trend": portfolio_trend(measure=measure),
        "flags": flags_by_kind(),
        "zombies": zombie_summary(),
        "back_test": [{**asdict(r), "outside": r.outside} for r in back_test_figures()],
        "delay": delay_totals(),
        "dividend": reuse_dividend(),
    }
