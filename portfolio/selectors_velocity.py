"""Velocity reads: the set-based SQL that derives durations from the transition record, and
the selectors dashboards use (each a fixed number of queries, whatever the portfolio size).

The durations and their each-versus-previous labels are one statement with window functions
(LEAD to pair each hold with its resume, LAG over submission order for the predecessor), the
same on PostgreSQL and SQLite; only "days between two timestamps" is spelled per vendor.
The rules it implements are written down, and unit-tested, in ``portfolio.velocity``.
"""

from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, F, Min, Q, QuerySet, Sum, Window
from django.db.models.functions import Lag, TruncMonth
from django.utils import timezone

from portfolio.choices import CADENCE_DAYS, ArtifactKind, MetricKind, Origin, State
from portfolio.diagnostic import BusinessMetric, Diagnostic, DiagnosticInput, Gap, diagnose
from portfolio.models import (
    Artifact,
    DataGap,
    Flag,
    Metric,
    MetricReading,
    UseCase,
    VelocitySnapshot,
)
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope
from portfolio.velocity import FIRST, MEASURES, SLOWER, TREND_WINDOW

# A measure's start and end stage, and the stages whose holds fall inside it.
_SPANS = {
    "intake": ("submitted", "pilot", ("submitted",)),
    "pilot": ("pilot", "scale", ("pilot",)),
    "to_scale": ("submitted", "scale", ("submitted", "pilot")),
    "to_extend": ("submitted", "extend", ("submitted", "pilot", "scale")),
}


def days_sql(start: str, end: str, vendor: str | None = None) -> str:
    """SQL for the calendar days (with a fraction) from ``start`` to ``end``."""
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"


def durations_sql(
    *,
    vendor: str | None = None,
    scopes: tuple[str, ...] = ("department", "portfolio"),
    department_filter: bool = False,
) -> str:
    """The SELECT of every completed duration with its sequence position and predecessor.

    Columns: scope, department_id, use_case_id, measure, submitted_at, position, value,
    hold_days, previous_use_case_id, previous_value, difference_days, ratio, label.
    ``scopes``: "department" sequences per department (scope ``department:<id>``),
    "portfolio" across the portfolio; the durations are derived once for all of them.
    ``department_filter`` adds a ``%s`` department id parameter.
    """
    vendor = vendor or connection.vendor
    where = ""
    if department_filter:
        where = "WHERE r.use_case_id IN (SELECT id FROM portfolio_usecase WHERE department_id = %s)"
    hold_columns = ",\n".join(
        f"SUM(CASE WHEN transition = 'hold' AND next_transition = 'resume' "
        f"AND from_state = '{stage}' THEN {days_sql('at', 'next_at', vendor)} ELSE 0 END) "
        f"AS hold_{stage}"
        for stage in ("submitted", "pilot", "scale")
    )
    arms = []
    for measure in MEASURES:
        start, end, held = _SPANS[measure]
        hold = " + ".join(f"s.hold_{stage}" for stage in held)
        arms.append(
            f"SELECT s.use_case_id, s.department_id, s.submitted_at, '{measure}' AS measure, "
            f"ROUND(CAST({days_sql(f's.entered_{start}', f's.entered_{end}', vendor)} - ({hold}) "
            f"AS NUMERIC), 4) AS value, ROUND(CAST({hold} AS NUMERIC), 4) AS hold_days "
            f"FROM placed s WHERE s.entered_{start} IS NOT NULL AND s.entered_{end} IS NOT NULL"
        )
    union = "\nUNION ALL\n".join(arms)
    kinds = {
        "department": (
            "'department:' || CAST(d.department_id AS VARCHAR(20))",
            "d.department_id, d.measure",
        ),
        "portfolio": (f"'{PORTFOLIO_SCOPE}'", "d.measure"),
    }
    sequenced = []
    for kind in scopes:
        scope, partition = kinds[kind]
        window = f"PARTITION BY {partition} ORDER BY d.submitted_at, d.use_case_id"
        sequenced.append(
            f"""SELECT scope, department_id, use_case_id, measure, submitted_at, position, value,
       hold_days, previous_use_case_id, previous_value,
       value - previous_value AS difference_days,
       CASE WHEN previous_value > 0
            THEN ROUND(CAST(value * 1.0 / previous_value AS NUMERIC), 4) END AS ratio,
       CASE WHEN previous_value IS NULL THEN '{FIRST}'
            WHEN value < previous_value THEN 'faster'
            WHEN value > previous_value THEN '{SLOWER}'
            ELSE 'same' END AS label
FROM (
    SELECT {scope} AS scope, d.department_id, d.use_case_id, d.measure, d.submitted_at,
           ROW_NUMBER() OVER ({window}) AS position, d.value, d.hold_days,
           LAG(d.use_case_id) OVER ({window}) AS previous_use_case_id,
           LAG(d.value) OVER ({window}) AS previous_value
    FROM durations d
) sequenced_{kind}
WHERE true"""
        )
    selects = "\nUNION ALL\n".join(sequenced)
    return f"""
WITH rec AS (
    SELECT r.use_case_id, r.transition, r.from_state, r.at,
           LEAD(r.transition) OVER w AS next_transition,
           LEAD(r.at) OVER w AS next_at
    FROM portfolio_transitionrecord r
    {where}
    WINDOW w AS (PARTITION BY r.use_case_id ORDER BY r.at, r.id)
),
stages AS (
    SELECT use_case_id,
           MIN(CASE WHEN transition = 'submit' THEN at END) AS entered_submitted,
           MIN(CASE WHEN transition = 'advance_to_pilot' THEN at END) AS entered_pilot,
           MIN(CASE WHEN transition = 'advance_to_scale' THEN at END) AS entered_scale,
           MIN(CASE WHEN transition = 'advance_to_extend' THEN at END) AS entered_extend,
           {hold_columns}
    FROM rec
    GROUP BY use_case_id
),
placed AS (
    SELECT s.*, u.department_id, u.submitted_at
    FROM stages s JOIN portfolio_usecase u ON u.id = s.use_case_id
),
durations AS (
{union}
)
{selects}
"""


def trend_inputs(*, scopes: list[str] | None) -> tuple[list[dict], dict]:
    """Per (scope, measure): counts for the share faster and the streak, and the last
    ``TREND_WINDOW`` durations in order, from two queries over the stored snapshots."""
    scope_filter = ""
    params: list = []
    if scopes is not None:
        scope_filter = f"AND scope IN ({', '.join(['%s'] * len(scopes))})"
        params = list(scopes)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT scope, MIN(department_id), measure, COUNT(*),
                   SUM(CASE WHEN label = 'faster' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN label <> '{FIRST}' THEN 1 ELSE 0 END),
                   MAX(position) - COALESCE(MAX(CASE WHEN label <> '{SLOWER}'
                                                     THEN position END), 0)
            FROM portfolio_velocitysnapshot
            WHERE use_case_id IS NOT NULL AND period = '' {scope_filter}
            GROUP BY scope, measure
            ORDER BY scope, measure
            """,
            params,
        )
        groups = [
            {
                "scope": scope,
                "department_id": department_id,
                "measure": measure,
                "count": count,
                "faster": faster or 0,
                "compared": compared or 0,
                "streak": streak or 0,
            }
            for scope, department_id, measure, count, faster, compared, streak in cursor.fetchall()
        ]
        # Positions run 1..n in each sequence, so the window is "position > n - TREND_WINDOW".
        cursor.execute(
            f"""
            SELECT s.scope, s.measure, s.value
            FROM portfolio_velocitysnapshot s
            JOIN (
                SELECT scope, measure, MAX(position) AS last
                FROM portfolio_velocitysnapshot
                WHERE use_case_id IS NOT NULL AND period = '' {scope_filter}
                GROUP BY scope, measure
            ) g ON g.scope = s.scope AND g.measure = s.measure AND s.position > g.last - %s
            WHERE s.use_case_id IS NOT NULL AND s.period = ''
            ORDER BY s.scope, s.measure, s.position
            """,
            [*params, TREND_WINDOW],
        )
        series: dict[tuple[str, str], list[float]] = {}
        for scope, measure, value in cursor.fetchall():
            series.setdefault((scope, measure), []).append(float(value))
    return groups, series


# --- selectors for dashboards (fixed number of queries each) -------------------------------


def velocity_sequence(*, department_id: int | None = None, measure: str = "to_scale") -> QuerySet:
    """Each use case's duration in submission order with its faster/slower label (1 query).

    ``department_id=None`` gives the portfolio-wide sequence.
    """
    scope = PORTFOLIO_SCOPE if department_id is None else department_scope(department_id)
    return (
        VelocitySnapshot.objects.filter(
            scope=scope, period="", measure=measure, use_case__isnull=False
        )
        .select_related("use_case", "previous_use_case")
        .order_by("position")
    )


def velocity_trends(*, department_id: int | None = None, all_scopes: bool = False) -> QuerySet:
    """The trend rows (status, Theil-Sen slope, share faster, streak) per measure (1 query)."""
    rows = VelocitySnapshot.objects.filter(use_case__isnull=True, measure__startswith="trend:")
    if not all_scopes:
        scope = PORTFOLIO_SCOPE if department_id is None else department_scope(department_id)
        rows = rows.filter(scope=scope)
    return rows.select_related("department").order_by("scope", "measure")


def department_velocity(*, department_id: int | None, measure: str = "to_scale") -> dict:
    """One department's (or the portfolio's) velocity for a dashboard, in two queries."""
    trends = {
        row.measure.removeprefix("trend:"): row
        for row in velocity_trends(department_id=department_id)
    }
    return {
        "trend": trends.get(measure),
        "trends": trends,
        "sequence": list(velocity_sequence(department_id=department_id, measure=measure)),
    }


def use_case_durations(*, use_case_id: int) -> dict[str, VelocitySnapshot]:
    """One use case's stored durations, by measure, within its department (1 query)."""
    rows = VelocitySnapshot.objects.filter(
        use_case_id=use_case_id, scope__startswith="department:", period=""
    ).select_related("previous_use_case")
    return {row.measure: row for row in rows}


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


def pilots_past_time_box(*, at=None) -> list[UseCase]:
    """Use cases in pilot longer than their time box, longest-running first (1 query).

    The pilot's clock starts at its G0 move, the first entry into pilot in the record.
    """
    at = at or timezone.now()
    rows = (
        UseCase.objects.filter(state=State.PILOT)
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


# --- stall diagnostic inputs -----------------------------------------------------------------


def diagnostic_inputs(*, use_case_ids, at=None) -> dict[int, DiagnosticInput]:
    """What the stall diagnostic looks at, for many use cases in five queries.

    Readings measured after ``at`` are ignored (a gate review judges the evidence as it was).
    """
    ids = use_case_ids if isinstance(use_case_ids, QuerySet) else list(use_case_ids)
    cases = UseCase.objects.filter(pk__in=ids).values(
        "id",
        "state",
        "state_before_hold",
        "outcome_owner_id",
        "owner_controls_resources",
        "data_assumed",
        "data_existing",
        "success_definition",
        "sponsor_signed_off_at",
        "operator_signed_off_at",
    )
    gaps: dict[int, list[Gap]] = {}
    for row in DataGap.objects.filter(use_case_id__in=ids).values(
        "use_case_id", "closing_work", "work_owner", "owner_committed", "blocks_production"
    ):
        gaps.setdefault(row.pop("use_case_id"), []).append(Gap(**row))
    memos = dict(
        Artifact.objects.filter(use_case_id__in=ids, kind=ArtifactKind.SCALE_MEMO).values_list(
            "use_case_id", "status"
        )
    )
    readings = MetricReading.objects.filter(
        metric__use_case_id__in=ids, metric__kind=MetricKind.BUSINESS
    )
    if at is not None:
        readings = readings.filter(measured_at__lte=at)
    reading_gaps: dict[int, list[float]] = {}
    reading_counts: dict[int, int] = {}
    for metric_id, measured_at, previous in readings.annotate(
        previous=Window(
            Lag("measured_at"), partition_by=["metric_id"], order_by=["measured_at", "id"]
        )
    ).values_list("metric_id", "measured_at", "previous"):
        reading_counts[metric_id] = reading_counts.get(metric_id, 0) + 1
        if previous is not None:
            days = (measured_at - previous).total_seconds() / 86400
            reading_gaps.setdefault(metric_id, []).append(days)
    business: dict[int, list[BusinessMetric]] = {}
    unpaired: dict[int, list[str]] = {}
    for metric_id, use_case_id, kind, name, cadence, paired in Metric.objects.filter(
        use_case_id__in=ids
    ).values_list("id", "use_case_id", "kind", "name", "cadence", "paired_with_id"):
        if kind == MetricKind.BUSINESS:
            business.setdefault(use_case_id, []).append(
                BusinessMetric(
                    name=name,
                    reading_gaps_days=tuple(reading_gaps.get(metric_id, ())),
                    readings=reading_counts.get(metric_id, 0),
                    cadence_days=CADENCE_DAYS.get(cadence),
                )
            )
        elif paired is None:
            unpaired.setdefault(use_case_id, []).append(name)
    return {
        row["id"]: DiagnosticInput(
            state=row["state"],
            state_before_hold=row["state_before_hold"],
            owner_named=row["outcome_owner_id"] is not None,
            owner_controls=row["owner_controls_resources"],
            data_assumed=row["data_assumed"],
            data_existing=row["data_existing"],
            gaps=tuple(gaps.get(row["id"], ())),
            business_metrics=tuple(business.get(row["id"], ())),
            unpaired_technical_metrics=tuple(unpaired.get(row["id"], ())),
            success_definition=row["success_definition"],
            sponsor_signed=row["sponsor_signed_off_at"] is not None,
            operator_signed=row["operator_signed_off_at"] is not None,
            scale_memo_status=memos.get(row["id"]),
        )
        for row in cases
    }


def diagnostics_for(*, use_case_ids, at=None) -> dict[int, Diagnostic]:
    """The six-line stall diagnostic of each use case (five queries in all)."""
    return {
        pk: diagnose(data)
        for pk, data in diagnostic_inputs(use_case_ids=use_case_ids, at=at).items()
    }


def use_case_diagnostic(*, use_case_id: int, at=None) -> Diagnostic | None:
    """The stall diagnostic of one use case, or None when it does not exist."""
    return diagnostics_for(use_case_ids=[use_case_id], at=at).get(use_case_id)
