"""The adoption plateau (adoption that stalls after the first enthusiasm), with no I/O
(PRODUCT.md, "The flywheel looks ahead").

For a metric whose direction is "higher is better" with at least ``MIN_READINGS`` readings
(in time order): the early slope is the Theil-Sen slope per day of all readings but the
last ``LATE_READINGS``, the late slope that of the last ``LATE_READINGS``. Plateau when the
early slope is positive, the late slope is at most ``PLATEAU_SHARE`` (10%) of it, and the
latest reading has not reached the target. Mirrored for "lower is better": the early slope
negative, the late slope at least 10% of it (as steep downwards at most a tenth), and the
latest reading still above the target.

The Theil-Sen slope per day is the median of (v_j - v_i) / (t_j - t_i) in days over the
pairs read at different moments (two readings at the same moment give no slope).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median

MIN_READINGS = 6
LATE_READINGS = 4
PLATEAU_SHARE = Decimal("0.1")
HIGHER, LOWER = "higher", "lower"


def slope_per_day(points: Sequence[tuple[datetime, Decimal]]) -> Decimal | None:
    """Median of the pairwise slopes per day (exact decimals); None without a pair."""
    slopes = []
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            seconds = Decimal(int((points[j][0] - points[i][0]).total_seconds()))
            if seconds:
                slopes.append((Decimal(points[j][1]) - Decimal(points[i][1])) * 86400 / seconds)
    return median(slopes) if slopes else None


@dataclass(frozen=True)
class Plateau:
    early: Decimal
    late: Decimal
    latest: Decimal
    target: Decimal


def plateau(
    readings: Sequence[tuple[datetime, Decimal]], *, direction: str, target: Decimal | None
) -> Plateau | None:
    """The plateau of one metric's readings (time order), or None."""
    if target is None or len(readings) < MIN_READINGS:
        return None
    ordered = sorted(readings, key=lambda r: r[0])
    early = slope_per_day(ordered[:-LATE_READINGS])
    late = slope_per_day(ordered[-LATE_READINGS:])
    if early is None or late is None:
        return None
    latest = Decimal(ordered[-1][1])
    target = Decimal(target)
    if direction == HIGHER:
        stalled = early > 0 and late <= PLATEAU_SHARE * early and latest < target
    else:
        stalled = early < 0 and late >= PLATEAU_SHARE * early and latest > target
    return Plateau(early, late, latest, target) if stalled else None
