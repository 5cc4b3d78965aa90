"""A pure-Python reference of the velocity rules that production computes in SQL
(portfolio.durations_sql): stage times, durations with holds excluded, each versus the one
before, share faster and the slowdown streak. Kept in the tests only: a property test holds
the SQL to it on generated histories, and the benchmark's naive loop runs it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from portfolio.trend import FASTER, FIRST, SAME, SECONDS_PER_DAY, SLOWER, round_days

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


def days_between(start: datetime, end: datetime) -> float:
    """Calendar days from start to end, with a fractional part."""
    return (end - start).total_seconds() / SECONDS_PER_DAY


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
