"""The forecast at intake and its back-test, with no I/O (PRODUCT.md, "The flywheel looks
ahead").

For a use case U and a duration measure (intake time, pilot time, time to scale): the
completed durations of that measure of U's department's use cases, in submission order,
d_1..d_n. With n >= ``MIN_HISTORY`` the Theil-Sen line over (i, d_i):

- slope m = median of the pairwise slopes (d_j - d_i) / (j - i), i < j
- intercept b = median of (d_i - m*i)
- forecast f = max(1, b + m*(n+1)) days
- 80% interval: f + P10 and f + P90 of the residuals r_i = d_i - (b + m*i), percentiles by
  linear interpolation (PostgreSQL's percentile_cont), each end at least 1 day.

With fewer than ``MIN_HISTORY`` in the department the portfolio's sequence is used the same
way; with fewer there too, no forecast ("not enough history").

The fit reads the most recent ``FIT_WINDOW`` durations of the sequence (positions
n-W+1..n, the same bound as the velocity trend): a Theil-Sen fit is quadratic in its
points, and a department with thousands of completions would otherwise cost seconds per
forecast. Shifting the positions by a constant leaves m unchanged and moves b by exactly
what keeps b + m*(n+1) the same, so below the bound the result is the spec's formula
exactly; ``n`` always counts the whole sequence.

The back-test (``forecasts_at_submission``) makes, for every submitted use case, the
forecast it would have had at its submission: only durations completed strictly before
that moment count. One pass per measure over the portfolio in submission order, each
scope's fit computed once per distinct history (cached), never per use case.
"""

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

MIN_HISTORY = 3
FIT_WINDOW = 100
LOWER_PERCENTILE = 0.10
UPPER_PERCENTILE = 0.90
MIN_DAYS = 1.0
# The durations forecast (PRODUCT.md): intake time, pilot time, time to scale.
FORECAST_MEASURES = ("intake", "pilot", "to_scale")
DEPARTMENT, PORTFOLIO = "department", "portfolio"


def percentile_cont(values: Sequence[float], fraction: float) -> float:
    """The percentile by linear interpolation between the closest ranks, as PostgreSQL's
    ``percentile_cont``: position p*(N-1) in the sorted values (0-based)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(float(v) for v in values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def theil_sen_line(values: Sequence[float]) -> tuple[float, float]:
    """(m, b) of the Theil-Sen line over (i, values[i-1]), i = 1..n (n >= 2)."""
    n = len(values)
    points = [float(v) for v in values]
    slopes = [(points[j] - points[i]) / (j - i) for i in range(n) for j in range(i + 1, n)]
    m = median(slopes)
    b = median(points[i] - m * (i + 1) for i in range(n))
    return m, b


@dataclass(frozen=True)
class Forecast:
    """A forecast in days with its 80% interval, the basis it came from and its n."""

    days: float
    low: float
    high: float
    basis: str
    n: int
    slope: float
    intercept: float


def forecast_fit(
    durations: Sequence[float], *, basis: str, n: int | None = None
) -> Forecast | None:
    """The forecast from one sequence of durations in submission order (None below
    ``MIN_HISTORY``). ``n``: the sequence's length when ``durations`` holds only its last
    ``FIT_WINDOW`` (all the fit reads)."""
    n = len(durations) if n is None else n
    if n < MIN_HISTORY:
        return None
    window = [float(v) for v in durations[-FIT_WINDOW:]]
    m, b = theil_sen_line(window)
    w = len(window)
    days = max(MIN_DAYS, b + m * (w + 1))
    residuals = [window[i] - (b + m * (i + 1)) for i in range(w)]
    low = max(MIN_DAYS, days + percentile_cont(residuals, LOWER_PERCENTILE))
    high = max(MIN_DAYS, days + percentile_cont(residuals, UPPER_PERCENTILE))
    return Forecast(days=days, low=low, high=high, basis=basis, n=n, slope=m, intercept=b)


def forecast_choose(department: Sequence[float], portfolio: Sequence[float]) -> Forecast | None:
    """The department's forecast with n >= 3, else the portfolio's, else None."""
    return forecast_fit(department, basis=DEPARTMENT) or forecast_fit(portfolio, basis=PORTFOLIO)


@dataclass(frozen=True)
class Completion:
    """One completed duration: whose, when its use case was submitted, when it ended."""

    use_case_id: int
    department_id: int
    submitted_at: datetime
    ended_at: datetime
    days: float


@dataclass(frozen=True)
class Subject:
    """A use case to forecast: its department and the moment of its submission."""

    use_case_id: int
    department_id: int
    submitted_at: datetime


class _History:
    """The completions of one scope known so far, kept in submission order, with the fit of
    the current history cached until a completion is added."""

    def __init__(self) -> None:
        self.keys: list[tuple] = []
        self.days: list[float] = []
        self._fit: tuple[bool, Forecast | None] = (False, None)

    def add(self, completion: Completion) -> None:
        key = (completion.submitted_at, completion.use_case_id)
        at = bisect.bisect(self.keys, key)
        self.keys.insert(at, key)
        self.days.insert(at, completion.days)
        self._fit = (False, None)

    def fit(self, basis: str) -> Forecast | None:
        done, result = self._fit
        if not done:
            result = forecast_fit(self.days, basis=basis)
            self._fit = (True, result)
        return result


def forecasts_at_submission(
    completions: Iterable[Completion],
    subjects: Iterable[Subject],
    *,
    portfolio_at: Callable[[datetime], Forecast | None] | None = None,
) -> dict[int, Forecast | None]:
    """For each subject, the forecast it had at its submission: the completions of its
    department (else the portfolio's) that ended strictly before that moment, in
    submission order. One measure's completions; one pass in time order.

    ``portfolio_at``: where the completions are one department's only, the portfolio's
    forecast at a moment, read elsewhere (asked only for a subject whose department had
    fewer than ``MIN_HISTORY`` completions then)."""
    pending = sorted(completions, key=lambda c: (c.ended_at, c.use_case_id))
    ordered = sorted(subjects, key=lambda s: (s.submitted_at, s.use_case_id))
    portfolio = _History()
    departments: dict[int, _History] = {}
    result: dict[int, Forecast | None] = {}
    next_completion = 0
    for subject in ordered:
        while (
            next_completion < len(pending)
            and pending[next_completion].ended_at < subject.submitted_at
        ):
            completion = pending[next_completion]
            portfolio.add(completion)
            departments.setdefault(completion.department_id, _History()).add(completion)
            next_completion += 1
        own = departments.get(subject.department_id)
        forecast = own.fit(DEPARTMENT) if own is not None else None
        if forecast is None:
            at = subject.submitted_at
            forecast = portfolio.fit(PORTFOLIO) if portfolio_at is None else portfolio_at(at)
        result[subject.use_case_id] = forecast
    return result


@dataclass(frozen=True)
class BackTest:
    """How the forecasts at submission did against the actual durations."""

    count: int
    mean_absolute_error: float | None
    covered: int
    coverage: float | None


def back_test(pairs: Iterable[tuple[Forecast, float]]) -> BackTest:
    """Mean absolute error |f - actual| in days and the share of actuals inside [low, high]."""
    count = covered = 0
    error = 0.0
    for forecast, actual in pairs:
        count += 1
        error += abs(forecast.days - actual)
        covered += forecast.low <= actual <= forecast.high
    if not count:
        return BackTest(0, None, 0, None)
    return BackTest(count, error / count, covered, covered / count)
