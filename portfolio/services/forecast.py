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
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from portfolio.forecast import (
    DEPARTMENT,
    FIT_WINDOW,
    FORECAST_MEASURES,
    MIN_HISTORY,
    PORTFOLIO,
    Completion,
    Forecast,
    Subject,
    forecast_choose,
    forecast_fit,
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


def _entered(transition: str):
    """The moment a velocity row's use case first made ``transition`` (its duration's end)."""
    return Subquery(
        TransitionRecord.objects.filter(use_case_id=OuterRef("use_case_id"), transition=transition)
        .order_by("at")
        .values("at")[:1]
    )


ENDS = {"intake": "advance_to_pilot", "pilot": "advance_to_scale", "to_scale": "advance_to_scale"}


def _completions(rows) -> dict[str, list[Completion]]:
    rows = rows.annotate(
        entered_pilot=_entered("advance_to_pilot"), entered_scale=_entered("advance_to_scale")
    ).values_list(
        "measure",
        "use_case_id",
        "department_id",
        "submitted_at",
        "value",
        "entered_pilot",
        "entered_scale",
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


def completions_read(*, department_id: int | None = None) -> dict[str, list[Completion]]:
    """Every completed duration of the forecast measures (the velocity job's department
    rows, holds excluded as velocity excludes them) with the moment it ended; with
    ``department_id``, that department's only (1 query)."""
    rows = VelocitySnapshot.objects.filter(
        period="", measure__in=FORECAST_MEASURES, use_case__isnull=False
    )
    if department_id is None:
        rows = rows.filter(scope__startswith="department:")
    else:
        rows = rows.filter(scope=department_scope(department_id))
    return _completions(rows.order_by())


class PortfolioTail:
    """The portfolio's forecasts at given moments, read in SQL: per moment and measure, the
    last ``FIT_WINDOW`` completions ended before it in submission order (the portfolio's
    velocity rows, read backwards along their position index) and how many there are in
    all (6 queries per moment, whatever the portfolio's size). The fit reads no more
    (portfolio.forecast: the window), and n counts the whole sequence."""

    def __init__(self) -> None:
        self._fits: dict[datetime, dict[str, Forecast | None]] = {}
        self._thresholds: dict[str, datetime | None] = {}

    @staticmethod
    def _rows():
        return VelocitySnapshot.objects.filter(
            scope=PORTFOLIO_SCOPE, period="", use_case__isnull=False, submitted_at__isnull=False
        )

    def _read(self, at: datetime) -> dict[str, Forecast | None]:
        rows = self._rows()
        ended_before = {
            measure: Exists(
                TransitionRecord.objects.filter(
                    use_case_id=OuterRef("use_case_id"), transition=ENDS[measure], at__lt=at
                )
            )
            for measure in FORECAST_MEASURES
        }
        counts: dict[str, int] = {}
        tails: dict[str, list[tuple]] = {}
        for measure in FORECAST_MEASURES:
            # In WHERE (not an aggregate's FILTER) the EXISTS is planned as a semi-join.
            done = rows.filter(ended_before[measure], measure=measure)
            counts[measure] = done.count()
            last = done.order_by("-position")
            tails[measure] = sorted(
                (submitted_at, pk, float(value))
                for submitted_at, pk, value in last.values_list(
                    "submitted_at", "use_case_id", "value"
                )[:FIT_WINDOW]
            )
        return {
            measure: forecast_fit(
                [value for *_, value in sorted(tails[measure])], basis=PORTFOLIO, n=counts[measure]
            )
            for measure in FORECAST_MEASURES
        }

    def _enough_after(self, measure: str) -> datetime | None:
        """The end of the portfolio's ``MIN_HISTORY``-th completion of ``measure``: at or
        before it there is no forecast (1 query per measure, once). It spares a query per
        moment for the first use cases, which had no forecast and stay without one."""
        if measure not in self._thresholds:
            # Transitions in time order (their own index), each use case's first one its
            # duration's end, kept where the portfolio has that duration.
            completed = self._rows().filter(measure=measure, use_case_id=OuterRef("use_case_id"))
            ends = (
                TransitionRecord.objects.filter(Exists(completed), transition=ENDS[measure])
                .order_by("at", "id")
                .values_list("use_case_id", "at")
            )
            first: dict[int, datetime] = {}
            for pk, moment in ends.iterator(chunk_size=MIN_HISTORY * 4):
                first.setdefault(pk, moment)
                if len(first) == MIN_HISTORY:
                    break
            self._thresholds[measure] = max(first.values()) if len(first) == MIN_HISTORY else None
        return self._thresholds[measure]

    def at(self, moment: datetime, measure: str) -> Forecast | None:
        enough_after = self._enough_after(measure)
        if enough_after is None or moment <= enough_after:
            return None
        if moment not in self._fits:
            self._fits[moment] = self._read(moment)
        return self._fits[moment][measure]


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


def _stored(department_id: int) -> dict[tuple[int, str], ForecastSnapshot]:
    """The stored forecasts at submission of the department's use cases (1 query)."""
    rows = ForecastSnapshot.objects.filter(use_case__department_id=department_id)
    return {(row.use_case_id, row.measure): row for row in rows}


def _unsettled(subjects: list[Subject], completions, stored) -> list[Subject]:
    """The department's use cases whose stored forecasts may be out of date.

    A forecast at submission reads only durations completed before the submission, and a
    transition now completes durations now, after every submission already made: the
    stored forecast of a use case submitted earlier cannot change, only its actual once it
    completes. So a department's refresh revisits the use cases with a measure not
    stored (new submissions, and the first ones that had no history), or whose stored
    actual, submission moment or department differs; the nightly full refresh rewrites
    everything (back-dated imports included)."""
    actual = {
        (c.use_case_id, measure): round_days(c.days)
        for measure, done in completions.items()
        for c in done
    }

    def key(row):
        return None if row is None else (row.actual_days, row.submitted_at, row.department_id)

    return [
        s
        for s in subjects
        if any(
            key(stored.get((s.use_case_id, m)))
            != (actual.get((s.use_case_id, m)), s.submitted_at, s.department_id)
            for m in FORECAST_MEASURES
        )
    ]


def _kept(row: ForecastSnapshot | None, subject: Subject) -> Forecast | None:
    """A stored forecast at submission still standing: same submission moment, same
    department (only its actual may have moved)."""
    if row is None or (row.submitted_at, row.department_id) != (
        subject.submitted_at,
        subject.department_id,
    ):
        return None
    return Forecast(
        days=float(row.days),
        low=float(row.low),
        high=float(row.high),
        basis=row.basis,
        n=row.n,
        slope=0.0,
        intercept=0.0,
    )


def _use_case_row(subject: Subject, measure: str, forecast: Forecast, actual, at):
    return _row(
        scope=department_scope(subject.department_id),
        measure=measure,
        forecast=forecast,
        at=at,
        use_case_id=subject.use_case_id,
        department_id=subject.department_id,
        submitted_at=subject.submitted_at,
        actual_days=round_days(actual),
    )


def _scope_rows(forecasts: dict[str, Forecast | None], measure: str, at) -> list:
    rows = []
    for scope, forecast in forecasts.items():
        if forecast is None:
            continue
        department = None if scope == PORTFOLIO_SCOPE else int(scope.split(":")[1])
        rows.append(
            _row(scope=scope, measure=measure, forecast=forecast, at=at, department_id=department)
        )
    return rows


def _subjects(department_id: int | None) -> list[Subject]:
    rows = UseCase.objects.filter(submitted_at__isnull=False)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    return [
        Subject(pk, department, submitted)
        for pk, department, submitted in rows.values_list(
            "pk", "department_id", "submitted_at"
        ).iterator(chunk_size=BATCH)
    ]


def _write(use_case_rows, scope_rows) -> ForecastResult:
    ForecastSnapshot.objects.bulk_create(use_case_rows, batch_size=BATCH)
    ForecastSnapshot.objects.bulk_create(scope_rows, batch_size=BATCH)
    return ForecastResult(use_case_rows=len(use_case_rows), scope_rows=len(scope_rows))


@transaction.atomic
def forecasts_refresh(*, department_id: int | None = None, at=None) -> ForecastResult:
    """Recompute the stored forecasts from the stored velocity durations.

    Every use case's forecast at its submission, and the forecast a use case submitted
    now would get in each department and the portfolio. With ``department_id`` (after a
    transition there): see ``department_forecasts_refresh``. Rows are replaced, so a
    rerun leaves the same rows.
    """
    at = at or timezone.now()
    if department_id is not None:
        return department_forecasts_refresh(department_id=department_id, at=at)
    completions = completions_read()
    subjects = _subjects(None)
    department_ids = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    use_case_rows: list[ForecastSnapshot] = []
    scope_rows: list[ForecastSnapshot] = []
    by_subject = {s.use_case_id: s for s in subjects}
    for measure in FORECAST_MEASURES:
        done = completions.get(measure, [])
        actual = {c.use_case_id: c.days for c in done}
        for pk, forecast in forecasts_at_submission(done, subjects).items():
            if forecast is not None:
                use_case_rows.append(
                    _use_case_row(by_subject[pk], measure, forecast, actual.get(pk), at)
                )
        scope_rows += _scope_rows(_next_forecasts(done, department_ids, at), measure, at)
    ForecastSnapshot.objects.all().delete()
    return _write(use_case_rows, scope_rows)


def department_forecasts_refresh(*, department_id: int, at: datetime) -> ForecastResult:
    """After a transition in one department: what that transition can have moved, read
    in a fixed number of queries whatever the portfolio's size.

    - That department's completions only, and its use cases' stored forecasts. A use
      case whose stored forecast still stands (``_kept``) keeps it with its new actual;
      one with none (a new submission) is forecast from the department's completions,
      else from the portfolio's at its submission (``PortfolioTail``).
    - The next-submission forecasts of the scopes that can have moved: the department's,
      the portfolio's, and those of the departments that fall back to the portfolio
      (stored with basis "portfolio", or with no row). Another department's own basis
      moves only with a transition there, which refreshes it.
    """
    completions = completions_read(department_id=department_id)
    stored = _stored(department_id)
    subjects = _unsettled(_subjects(department_id), completions, stored)
    tail = PortfolioTail()
    use_case_rows: list[ForecastSnapshot] = []
    scope_rows: list[ForecastSnapshot] = []
    scope_stored = {
        (row.scope, row.measure): row.basis
        for row in ForecastSnapshot.objects.filter(use_case__isnull=True).only(
            "scope", "measure", "basis"
        )
    }
    department_ids = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    for measure in FORECAST_MEASURES:
        done = completions.get(measure, [])
        actual = {c.use_case_id: c.days for c in done}
        kept = {s.use_case_id: _kept(stored.get((s.use_case_id, measure)), s) for s in subjects}
        fresh = forecasts_at_submission(
            done,
            [s for s in subjects if kept[s.use_case_id] is None],
            portfolio_at=lambda moment, measure=measure: tail.at(moment, measure),
        )
        for subject in subjects:
            forecast = kept[subject.use_case_id] or fresh.get(subject.use_case_id)
            if forecast is not None:
                use_case_rows.append(
                    _use_case_row(subject, measure, forecast, actual.get(subject.use_case_id), at)
                )
        own = department_scope(department_id)
        known = [
            c.days
            for c in sorted(done, key=lambda c: (c.submitted_at, c.use_case_id))
            if c.ended_at < at
        ]
        portfolio = tail.at(at, measure)
        forecasts = {
            PORTFOLIO_SCOPE: portfolio,
            own: forecast_fit(known, basis=DEPARTMENT) or portfolio,
        }
        for pk in department_ids:
            scope = department_scope(pk)
            if scope != own and scope_stored.get((scope, measure), PORTFOLIO) == PORTFOLIO:
                forecasts[scope] = portfolio
        scope_rows += _scope_rows(forecasts, measure, at)
        ForecastSnapshot.objects.filter(
            use_case__isnull=True, measure=measure, scope__in=list(forecasts)
        ).delete()
    # Rows of use cases that moved out of the department.
    ForecastSnapshot.objects.filter(department_id=department_id, use_case__isnull=False).exclude(
        use_case__department_id=department_id
    ).delete()
    ids = [s.use_case_id for s in subjects]
    for start in range(0, len(ids), BATCH):
        ForecastSnapshot.objects.filter(use_case_id__in=ids[start : start + BATCH]).delete()
    return _write(use_case_rows, scope_rows)
