"""The velocity rules with no I/O: the measures, the labels, and the robust trend.

The measures (calendar days with a fractional part, time on hold excluded and reported
separately; a hold always returns to the stage it left, so it lies inside one stage):

- ``intake``: first submission to entering pilot (G0)
- ``pilot``: entering pilot to entering scale (G1)
- ``to_scale``: first submission to entering scale
- ``to_extend``: first submission to entering extend (G2)

Each completed duration is compared with the same duration of the previous use case, in
submission order, that completed the stage: ``first`` (no predecessor), ``faster``,
``slower`` or ``same`` (equal to the fourth decimal of a day, about nine seconds).

The trend is the Theil-Sen slope of duration over the sequence position, taken over the
most recent ``TREND_WINDOW`` completions (exact, and bounded for a large portfolio). The
status compares the slope with the median duration of the same window:

- ``accelerating``: the slope is at most -``STATUS_THRESHOLD`` of the median per initiative
  (each initiative at least 2% faster than the typical one)
- ``decelerating``: the slope is at least +``STATUS_THRESHOLD`` of the median
- ``steady``: in between
- ``insufficient``: fewer than ``MIN_POINTS_FOR_STATUS`` completed durations

The slowdown streak is the number of ``slower`` labels at the end of the sequence.

The durations and labels are computed in SQL (``portfolio.durations_sql``); the trend and
status here, over the stored durations.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

MEASURES = ("intake", "pilot", "to_scale", "to_extend")

FIRST, FASTER, SLOWER, SAME = "first", "faster", "slower", "same"
ACCELERATING, STEADY, DECELERATING, INSUFFICIENT = (
    "accelerating",
    "steady",
    "decelerating",
    "insufficient",
)
TREND_WINDOW = 100
STATUS_THRESHOLD = 0.02
MIN_POINTS_FOR_STATUS = 3
DAY_PLACES = 4
SECONDS_PER_DAY = 86400


def round_days(value: float | Decimal | None) -> Decimal | None:
    """Days rounded to the stored precision (four decimals), the unit every comparison uses."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-DAY_PLACES))


def theil_sen_slope(values: Sequence[float]) -> float | None:
    """Median of the slopes between every pair of points (x = position in the sequence).

    Robust to outliers: up to ~29% of the points can be wild without moving it much.
    """
    n = len(values)
    if n < 2:
        return None
    slopes = [
        (float(values[j]) - float(values[i])) / (j - i) for i in range(n) for j in range(i + 1, n)
    ]
    return median(slopes)


@dataclass(frozen=True)
class Trend:
    """The robust trend of one sequence and the status it gives."""

    slope: float | None
    median_days: float | None
    relative_slope: float | None
    status: str


def trend(days_in_order: Sequence[float]) -> Trend:
    """Theil-Sen slope over the most recent ``TREND_WINDOW`` durations, and the status."""
    window = [float(v) for v in days_in_order[-TREND_WINDOW:]]
    if len(window) < MIN_POINTS_FOR_STATUS:
        slope = theil_sen_slope(window)
        return Trend(slope, median(window) if window else None, None, INSUFFICIENT)
    slope = theil_sen_slope(window)
    typical = median(window)
    relative = slope / typical if typical else 0.0
    if relative <= -STATUS_THRESHOLD:
        status = ACCELERATING
    elif relative >= STATUS_THRESHOLD:
        status = DECELERATING
    else:
        status = STEADY
    return Trend(slope, typical, relative, status)
