"""Writing the stored forecasts (portfolio.forecast) after the velocity durations.

Three queries read everything (the completed durations with the moment each ended, the
submitted use cases, the departments); the forecasts are made in one pass per measure in
time order (portfolio.forecast.forecasts_at_submission), never a query per use case; the
rows of the scope are replaced in batches.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from portfolio.forecast import (
    FORECAST_MEASURES,
    Completion,
    Forecast,
    Subject,
    forecast_choose,
    forecasts_at_submission,
)
from portfolio.models import (
    Department,
    ForecastSnapshot,
    TransitionRecord,
    UseCase,
    VelocitySnapshot,
)
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope
from portfolio.trend import round_days

BATCH = 2000


def completions_read() -> dict[str, list[Completion]]:
    """Every completed duration of the forecast measures (the velocity job's department
    rows, holds excluded as velocity excludes them) with the moment it ended (1 query)."""

    def entered(transition: str):
        return Subquery(
            TransitionRecord.objects.filter(
                use_case_id=OuterRef("use_case_id"), transition=transition
            )
            .order_by("at")
            .values("at")[:1]
        )

    rows = (
        VelocitySnapshot.objects.filter(
            scope__startswith="department:",
            period="",
            measure__in=FORECAST_MEASURES,
            use_case__isnull=False,
        )
        .annotate(
            entered_pilot=entered("advance_to_pilot"), entered_scale=entered("advance_to_scale")
        )
        .values_list(
            "measure",
            "use_case_id",
            "department_id",
            "submitted_at",
            "value",
            "entered_pilot",
            "entered_scale",
        )
        .order_by()
    )
    by_measure: dict[str, list[Completion]] = defaultdict(list)
    for measure, pk, department_id, submitted_at, value, pilot, scale in rows.iterator(
        chunk_size=BATCH
    ):
        ended = pilot if measure == "intake" else scale
        if ended is None or submitted_at is None:
            continue
        by_measure[measure].append(Completion(pk, department_id, submitted_at, ended, float(value)))
    return by_measure


def _next_forecasts(
    completions: list[Completion], department_ids: list[int], at: datetime
) -> dict[str, Forecast | None]:
    """What a use case submitted at ``at`` would get, per department scope and portfolio."""
    known = sorted(
        (c for c in completions if c.ended_at < at), key=lambda c: (c.submitted_at, c.use_case_id)
    )
    portfolio = [c.days for c in known]
    per_department: dict[int, list[float]] = defaultdict(list)
    for completion in known:
        per_department[completion.department_id].append(completion.days)
    result = {
        department_scope(pk): forecast_choose(per_department.get(pk, []), portfolio)
        for pk in department_ids
    }
    result[PORTFOLIO_SCOPE] = forecast_choose([], portfolio)
    return result


def _row(*, scope, measure, forecast: Forecast, at, **fields) -> ForecastSnapshot:
    return ForecastSnapshot(
        scope=scope,
        measure=measure,
        basis=forecast.basis,
        n=forecast.n,
        days=round_days(forecast.days),
        low=round_days(forecast.low),
        high=round_days(forecast.high),
        computed_at=at,
        **fields,
    )


@dataclass(frozen=True)
class ForecastResult:
    use_case_rows: int
    scope_rows: int


def _unsettled(subjects: list[Subject], completions, *, department_id: int) -> list[Subject]:
    """The department's use cases whose stored forecasts may be out of date (1 query).

    A forecast at submission reads only durations completed before the submission, and a
    transition now completes durations now, after every submission already made: the
    stored forecast of a use case submitted earlier cannot change, only its actual once it
    completes. So a department's refresh recomputes the use cases with a measure not
    stored (new submissions, and the first ones that had no history), or whose stored
    actual, submission moment or department differs; the nightly full refresh rewrites everything
    (back-dated imports included)."""
    stored = {
        (pk, measure): (actual, submitted_at, department)
        for pk, measure, actual, submitted_at, department in ForecastSnapshot.objects.filter(
            use_case__department_id=department_id
        ).values_list("use_case_id", "measure", "actual_days", "submitted_at", "department_id")
    }
    actual = {
        (c.use_case_id, measure): round_days(c.days)
        for measure, done in completions.items()
        for c in done
    }
    return [
        s
        for s in subjects
        if any(
            stored.get((s.use_case_id, m))
            != (actual.get((s.use_case_id, m)), s.submitted_at, s.department_id)
            for m in FORECAST_MEASURES
        )
    ]


@transaction.atomic
def forecasts_refresh(*, department_id: int | None = None, at=None) -> ForecastResult:
    """Recompute the stored forecasts from the stored velocity durations.

    Every use case's forecast at its submission (with ``department_id``: that
    department's use cases whose forecasts may have moved, see ``_unsettled``), and the
    forecast a use case submitted now would get in each department and the portfolio.
    Rows are replaced, so a rerun leaves the same rows.
    """
    at = at or timezone.now()
    completions = completions_read()
    subjects_query = UseCase.objects.filter(submitted_at__isnull=False)
    if department_id is not None:
        subjects_query = subjects_query.filter(department_id=department_id)
    subjects = [
        Subject(pk, department, submitted)
        for pk, department, submitted in subjects_query.values_list(
            "pk", "department_id", "submitted_at"
        ).iterator(chunk_size=BATCH)
    ]
    if department_id is not None:
        subjects = _unsettled(subjects, completions, department_id=department_id)
    department_ids = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    use_case_rows: list[ForecastSnapshot] = []
    scope_rows: list[ForecastSnapshot] = []
    for measure in FORECAST_MEASURES:
        done = completions.get(measure, [])
        actual = {c.use_case_id: c.days for c in done}
        by_subject = {s.use_case_id: s for s in subjects}
        for pk, forecast in forecasts_at_submission(done, subjects).items():
            if forecast is None:
                continue
            subject = by_subject[pk]
            use_case_rows.append(
                _row(
                    scope=department_scope(subject.department_id),
                    measure=measure,
                    forecast=forecast,
                    at=at,
                    use_case_id=pk,
                    department_id=subject.department_id,
                    submitted_at=subject.submitted_at,
                    actual_days=round_days(actual.get(pk)),
                )
            )
        for scope, forecast in _next_forecasts(done, department_ids, at).items():
            if forecast is None:
                continue
            department = None if scope == PORTFOLIO_SCOPE else int(scope.split(":")[1])
            scope_rows.append(
                _row(
                    scope=scope, measure=measure, forecast=forecast, at=at, department_id=department
                )
            )
    if department_id is None:
        ForecastSnapshot.objects.all().delete()
    else:
        ForecastSnapshot.objects.filter(use_case__isnull=True).delete()
        # Rows of use cases that moved out of the department.
        ForecastSnapshot.objects.filter(
            department_id=department_id, use_case__isnull=False
        ).exclude(use_case__department_id=department_id).delete()
        ids = [s.use_case_id for s in subjects]
        for start in range(0, len(ids), BATCH):
            ForecastSnapshot.objects.filter(use_case_id__in=ids[start : start + BATCH]).delete()
    ForecastSnapshot.objects.bulk_create(use_case_rows, batch_size=BATCH)
    ForecastSnapshot.objects.bulk_create(scope_rows, batch_size=BATCH)
    return ForecastResult(use_case_rows=len(use_case_rows), scope_rows=len(scope_rows))
