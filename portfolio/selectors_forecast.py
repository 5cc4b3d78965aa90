"""Forecast reads for pages and the API: one use case's forecasts with their dates, the
forecast a submission would get now, and the back-test (each a fixed number of queries,
whatever the portfolio size)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Abs

from portfolio.forecast import FORECAST_MEASURES
from portfolio.models import ForecastSnapshot
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope

MEASURE_WORDS = {
    "intake": "reaches pilot",
    "pilot": "completes its pilot",
    "to_scale": "reaches scale",
}


def use_case_forecasts(*, use_case_id: int) -> dict[str, ForecastSnapshot]:
    """One use case's forecasts at its submission, by measure (1 query)."""
    rows = ForecastSnapshot.objects.filter(use_case_id=use_case_id)
    return {row.measure: row for row in rows}


def forecast_dates(forecasts: dict[str, ForecastSnapshot], *, submitted_at: datetime | None):
    """The forecast moments of pilot start and scale (submission + forecast days), with
    their 80% ranges; None where there is no forecast."""
    dates = {}
    for measure, key in (("intake", "pilot_start"), ("to_scale", "scale")):
        row = forecasts.get(measure)
        if row is None or submitted_at is None:
            dates[key] = None
            continue
        dates[key] = {
            "at": submitted_at + timedelta(days=float(row.days)),
            "earliest": submitted_at + timedelta(days=float(row.low)),
            "latest": submitted_at + timedelta(days=float(row.high)),
        }
    return dates


def next_forecasts(*, department_id: int | None) -> dict[str, ForecastSnapshot]:
    """What a use case submitted now would get, in a department or the portfolio (1 query)."""
    scope = PORTFOLIO_SCOPE if department_id is None else department_scope(department_id)
    rows = ForecastSnapshot.objects.filter(scope=scope, use_case__isnull=True)
    return {row.measure: row for row in rows}


@dataclass(frozen=True)
class BackTestRow:
    scope: str
    department_id: int | None
    department_name: str
    measure: str
    count: int
    mean_absolute_error: Decimal | None
    covered: int
    coverage: Decimal | None

    @property
    def outside(self) -> int:
        return self.count - self.covered


def _back_test_rows(rows, *, scope_of, name_of) -> list[BackTestRow]:
    result = []
    for row in rows:
        count = row["count"]
        result.append(
            BackTestRow(
                scope=scope_of(row),
                department_id=row.get("department_id"),
                department_name=name_of(row),
                measure=row["measure"],
                count=count,
                mean_absolute_error=(
                    None if row["mae"] is None else Decimal(row["mae"]).quantize(Decimal("0.01"))
                ),
                covered=row["covered"] or 0,
                coverage=(Decimal(row["covered"] or 0) / count if count else None),
            )
        )
    return result


def back_tested(*, department_id: int | None = None) -> QuerySet:
    """The forecasts held to account: use cases whose duration completed and that had a
    forecast at their submission (the list behind every back-test figure)."""
    rows = ForecastSnapshot.objects.filter(use_case__isnull=False, actual_days__isnull=False)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows


def back_test_figures(*, department_id: int | None = None) -> list[BackTestRow]:
    """Per department and for the portfolio, per measure: how many completed use cases had
    a forecast at their submission, the mean absolute error |forecast - actual| in days and
    the share of actual durations inside their 80% interval (2 queries, aggregated in SQL)."""
    inside = Sum(
        Case(
            When(Q(actual_days__gte=F("low")) & Q(actual_days__lte=F("high")), then=1),
            default=0,
            output_field=IntegerField(),
        )
    )
    figures = {
        "count": Count("id"),
        "mae": Avg(Abs(F("days") - F("actual_days"))),
        "covered": inside,
    }
    rows = back_tested(department_id=department_id)
    per_department = (
        rows.values("department_id", "department__name", "measure")
        .annotate(**figures)
        .order_by("department__name", "measure")
    )
    result = _back_test_rows(
        per_department,
        scope_of=lambda row: department_scope(row["department_id"]),
        name_of=lambda row: row["department__name"],
    )
    if department_id is None:
        portfolio = rows.values("measure").annotate(**figures).order_by("measure")
        result += _back_test_rows(
            portfolio, scope_of=lambda row: PORTFOLIO_SCOPE, name_of=lambda row: "Portfolio"
        )
    order = {measure: i for i, measure in enumerate(FORECAST_MEASURES)}
    return sorted(
        result, key=lambda r: (r.scope == PORTFOLIO_SCOPE, r.department_name, order[r.measure])
    )


def forecast_sentence(row: ForecastSnapshot | None, *, department_name: str) -> str:
    """'A use case like this in Claims reaches scale in 140 days, 80% between 95 and 210.'"""
    if row is None:
        return "Not enough history for a forecast (fewer than 3 completed in the portfolio)."
    where = department_name if row.basis == "department" else "the portfolio"
    return (
        f"A use case like this in {where} {MEASURE_WORDS[row.measure]} in {row.days:.0f} days, "
        f"80% between {row.low:.0f} and {row.high:.0f} (basis: {row.basis}, n = {row.n})."
    )


def next_forecasts_for(*, department_ids) -> dict[int, dict[str, ForecastSnapshot]]:
    """The forecasts a submission would get now in each of several departments (1 query)."""
    scopes = {department_scope(pk): pk for pk in department_ids}
    result: dict[int, dict[str, ForecastSnapshot]] = {pk: {} for pk in scopes.values()}
    for row in ForecastSnapshot.objects.filter(scope__in=list(scopes), use_case__isnull=True):
        result[scopes[row.scope]][row.measure] = row
    return result


@dataclass(frozen=True)
class ForecastLine:
    """One measure's forecast as a page shows it: the sentence and, where the use case is
    submitted, the forecast date with its 80% range."""

    measure: str
    row: ForecastSnapshot | None
    sentence: str
    date: dict | None = None


DATE_OF = {"intake": "pilot_start", "to_scale": "scale"}


def forecast_lines(
    forecasts: dict[str, ForecastSnapshot],
    *,
    department_name: str,
    submitted_at: datetime | None = None,
) -> list[ForecastLine]:
    """The three forecasts of a use case (or of a submission now) in reading order."""
    dates = forecast_dates(forecasts, submitted_at=submitted_at)
    return [
        ForecastLine(
            measure=measure,
            row=forecasts.get(measure),
            sentence=forecast_sentence(forecasts.get(measure), department_name=department_name)
            if forecasts.get(measure)
            else "Not enough history for a forecast.",
            date=dates.get(DATE_OF.get(measure, "")),
        )
        for measure in FORECAST_MEASURES
    ]


def dividend_rows(*, template_id: int | None = None, department_id: int | None = None):
    """Use cases built on a template and completed to scale that had a time-to-scale
    forecast at their submission: the rows behind every dividend figure (lazy)."""
    rows = ForecastSnapshot.objects.filter(
        measure="to_scale", actual_days__isnull=False, use_case__template__isnull=False
    )
    if template_id is not None:
        rows = rows.filter(use_case__template_id=template_id)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows


def reuse_dividend() -> dict:
    """The reuse dividend (PRODUCT.md): per use case built on a template and completed to
    scale, days brought forward = its time-to-scale forecast at submission - its actual
    time to scale, value brought forward = days x its value per day (expected annual
    benefit / 365); summed per template, department and portfolio (3 queries, in SQL).
    Negative when reuse did not help; a use case with no benefit estimate adds days and
    no value (counted in ``no_estimate``)."""
    brought = F("days") - F("actual_days")
    benefit = F("use_case__expected_benefit_yearly")
    figures = {
        "use_cases": Count("id"),
        "brought_days": Sum(brought),
        "brought_value": Sum(brought * benefit / Value(Decimal(365))),
        "no_estimate": Count("id", filter=Q(use_case__expected_benefit_yearly__isnull=True)),
    }

    def plain(row, **names):
        return {
            **names,
            "use_cases": row["use_cases"],
            "days": Decimal(row["brought_days"] or 0).quantize(Decimal("0.01")),
            "value": Decimal(row["brought_value"] or 0).quantize(Decimal("0.01")),
            "no_estimate": row["no_estimate"],
        }

    rows = dividend_rows()
    templates = [
        plain(
            row,
            template_id=row["use_case__template_id"],
            template=row["use_case__template__title"],
        )
        for row in rows.values("use_case__template_id", "use_case__template__title")
        .annotate(**figures)
        .order_by("-brought_value", "use_case__template__title")
    ]
    departments = [
        plain(row, department_id=row["department_id"], department=row["department__name"])
        for row in rows.values("department_id", "department__name")
        .annotate(**figures)
        .order_by("department__name")
    ]
    total = rows.aggregate(**figures)
    return {
        "templates": templates,
        "departments": departments,
        "portfolio": plain(total) if total["use_cases"] else None,
    }
