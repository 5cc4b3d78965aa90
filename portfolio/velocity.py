"""Velocity calculations with no I/O: is each initiative faster than the one before?

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
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median

MEASURES = ("intake", "pilot", "to_scale", "to_extend")
# Where each measure starts and ends: the stage entered (see ``StageTimes``).
MEASURE_SPANS = {
    "intake": ("submitted", "pilot"),
    "pilot": ("pilot", "scale"),
    "to_scale": ("submitted", "scale"),
    "to_extend": ("submitted", "extend"),
}
# Holds taken from these stages fall inside the measure.
MEASURE_HOLD_STAGES = {
    "intake": ("submitted",),
    "pilot": ("pilot",),
    "to_scale": ("submitted", "pilot"),
    "to_extend": ("submitted", "pilot", "scale"),
}

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


def days_between(start: datetime, end: datetime) -> float:
    """Calendar days from start to end, with a fractional part."""
    return (end - start).total_seconds() / SECONDS_PER_DAY


def round_days(value: float | Decimal | None) -> Decimal | None:
    """Days rounded to the stored precision (four decimals), the unit every comparison uses."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-DAY_PLACES))


@dataclass(frozen=True)
class StageTimes:
    """When a use case first entered each stage, and the days it spent on hold per stage."""

    submitted: datetime | None = None
    pilot: datetime | None = None
    scale: datetime | None = None
    extend: datetime | None = None
    hold_days: dict | None = None  # stage -> days on hold taken from that stage


def stage_times(records: Sequence[tuple[str, str, str, datetime]]) -> StageTimes:
    """Stage entry times and hold days from one use case's transition record.

    ``records`` are (transition, from_state, to_state, at) in record order. A hold is paired
    with the next resume; a hold not resumed (still on hold, or killed) adds nothing, since
    its stage never completes.
    """
    entered: dict[str, datetime] = {}
    hold: dict[str, float] = {}
    open_hold: tuple[str, datetime] | None = None
    for transition, from_state, to_state, at in records:
        if transition == "submit" and "submitted" not in entered:
            entered["submitted"] = at
        elif transition.startswith("advance_to_") and to_state not in entered:
            entered[to_state] = at
        elif transition == "hold":
            open_hold = (from_state, at)
        elif transition == "resume" and open_hold is not None:
            stage, since = open_hold
            hold[stage] = hold.get(stage, 0.0) + days_between(since, at)
            open_hold = None
    return StageTimes(**entered, hold_days=hold)


@dataclass(frozen=True)
class Duration:
    """One completed measure of one use case: days excluding holds, and the hold days."""

    measure: str
    days: Decimal
    hold_days: Decimal


def durations(times: StageTimes) -> dict[str, Duration]:
    """Every completed measure of a use case, holds excluded and reported separately."""
    result = {}
    holds = times.hold_days or {}
    for measure, (start_stage, end_stage) in MEASURE_SPANS.items():
        start, end = getattr(times, start_stage), getattr(times, end_stage)
        if start is None or end is None:
            continue
        held = sum(holds.get(stage, 0.0) for stage in MEASURE_HOLD_STAGES[measure])
        result[measure] = Duration(
            measure=measure,
            days=round_days(days_between(start, end) - held),
            hold_days=round_days(held),
        )
    return result


@dataclass(frozen=True)
class Comparison:
    """A duration set against the previous completion's: label, difference, ratio."""

    label: str
    previous_days: Decimal | None
    difference_days: Decimal | None
    ratio: Decimal | None


def compare(days: Decimal, previous_days: Decimal | None) -> Comparison:
    """Label a duration against its predecessor's (difference = this - previous).

    The ratio is this / previous; it is undefined when the previous duration is zero.
    """
    if previous_days is None:
        return Comparison(FIRST, None, None, None)
    difference = days - previous_days
    label = FASTER if difference < 0 else SLOWER if difference > 0 else SAME
    ratio = (days / previous_days).quantize(Decimal("0.0001")) if previous_days else None
    return Comparison(label, previous_days, difference, ratio)


def label_sequence(days_in_order: Sequence[Decimal]) -> list[Comparison]:
    """Compare each duration, in submission order, with the one before it."""
    previous = None
    result = []
    for days in days_in_order:
        result.append(compare(days, previous))
        previous = days
    return result


def share_faster(labels: Sequence[str]) -> float | None:
    """Share of the initiatives with a predecessor that were faster than it."""
    compared = [label for label in labels if label != FIRST]
    if not compared:
        return None
    return sum(1 for label in compared if label == FASTER) / len(compared)


def slowdown_streak(labels: Sequence[str]) -> int:
    """How many of the most recent initiatives in a row were slower than their predecessor."""
    streak = 0
    for label in reversed(labels):
        if label != SLOWER:
            break
        streak += 1
    return streak


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
