"""The velocity rules in pure Python: the reference durations, labels and streak the SQL is
held to (tests/reference_velocity.py), and the production trend (portfolio.trend)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from portfolio import trend as velocity_trend
from portfolio.trend import (
    ACCELERATING,
    DECELERATING,
    FASTER,
    FIRST,
    INSUFFICIENT,
    SAME,
    SLOWER,
    STEADY,
)
from tests import reference_velocity


def day(d: int, hour: int = 0) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC).replace(day=d, hour=hour)


def test_durations_exclude_hold_and_report_it_separately():
    records = [
        ("submit", "draft", "submitted", day(3)),
        ("hold", "submitted", "on_hold", day(5)),
        ("resume", "on_hold", "submitted", day(7)),
        ("advance_to_pilot", "submitted", "pilot", day(15, 12)),
    ]

    result = reference_velocity.durations(reference_velocity.stage_times(records))

    assert result["intake"].days == Decimal("10.5000")
    assert result["intake"].hold_days == Decimal("2.0000")
    assert set(result) == {"intake"}


def test_durations_of_a_use_case_that_reached_extend():
    records = [
        ("submit", "draft", "submitted", day(1)),
        ("advance_to_pilot", "submitted", "pilot", day(11)),
        ("hold", "pilot", "on_hold", day(12)),
        ("resume", "on_hold", "pilot", day(13, 6)),
        ("advance_to_scale", "pilot", "scale", day(21)),
        ("advance_to_extend", "scale", "extend", day(31)),
    ]

    result = reference_velocity.durations(reference_velocity.stage_times(records))

    assert result["intake"].days == Decimal("10.0000")
    assert result["pilot"].days == Decimal("8.7500")
    assert result["pilot"].hold_days == Decimal("1.2500")
    assert result["to_scale"].days == Decimal("18.7500")
    assert result["to_extend"].days == Decimal("28.7500")


def test_a_killed_use_case_on_hold_completes_nothing():
    records = [
        ("submit", "draft", "submitted", day(1)),
        ("hold", "submitted", "on_hold", day(2)),
        ("kill", "on_hold", "killed", day(9)),
    ]

    assert reference_velocity.durations(reference_velocity.stage_times(records)) == {}


def test_each_duration_is_labelled_against_the_previous_completion():
    days = [Decimal(v) for v in ("10", "8", "10.5", "10.5", "12")]

    labels = reference_velocity.label_sequence(days)

    assert [c.label for c in labels] == [FIRST, FASTER, SLOWER, SAME, SLOWER]
    assert labels[1].difference_days == Decimal("-2")
    assert labels[1].ratio == Decimal("0.8000")
    assert labels[2].difference_days == Decimal("2.5")
    assert labels[2].ratio == Decimal("1.3125")
    assert labels[4].ratio == Decimal("1.1429")


def test_share_faster_counts_only_initiatives_with_a_predecessor():
    assert reference_velocity.share_faster([FIRST, FASTER, SLOWER, SAME, SLOWER]) == 0.25
    assert reference_velocity.share_faster([FIRST]) is None


@pytest.mark.parametrize(
    ("labels", "streak"),
    [
        ([FIRST, FASTER, SLOWER, SAME, SLOWER], 1),
        ([FIRST, SLOWER, SLOWER, SLOWER], 3),
        ([FIRST, SLOWER, FASTER], 0),
        ([FIRST], 0),
        ([], 0),
    ],
)
def test_slowdown_streak_counts_the_latest_run_of_slower(labels, streak):
    assert reference_velocity.slowdown_streak(labels) == streak


def test_theil_sen_slope_is_the_median_of_pairwise_slopes():
    # Pairwise slopes: -2, .25, .1667, .5, 2.5, 1.25, 1.3333, 0, .75, 1.5 -> median .625
    assert velocity_trend.theil_sen_slope([10, 8, 10.5, 10.5, 12]) == pytest.approx(0.625)


def test_theil_sen_slope_ignores_a_single_wild_value():
    assert velocity_trend.theil_sen_slope([10, 9, 8, 80, 6, 5]) == pytest.approx(-1.0)


def test_theil_sen_needs_two_points():
    assert velocity_trend.theil_sen_slope([7]) is None


def test_status_decelerating_when_slope_is_two_percent_of_the_median_or_more():
    result = velocity_trend.trend([10, 8, 10.5, 10.5, 12])

    assert result.median_days == 10.5
    assert result.relative_slope == pytest.approx(0.625 / 10.5)
    assert result.status == DECELERATING


def test_status_accelerating_when_each_is_faster():
    assert velocity_trend.trend([40, 36, 30, 31, 25]).status == ACCELERATING


def test_status_steady_within_the_threshold():
    # slope 0.1 per initiative on a median of 10 days: 1%, inside +/-2%
    assert velocity_trend.trend([10, 10.1, 10.2, 9.9, 10.0, 10.5]).status == STEADY


def test_status_needs_three_points():
    assert velocity_trend.trend([30, 41]).status == INSUFFICIENT
    assert velocity_trend.trend([]).status == INSUFFICIENT


def test_trend_uses_only_the_most_recent_window():
    old_speedup = [1000 - 4 * i for i in range(200)]
    recent_slowdown = [1 + 3 * i for i in range(velocity_trend.TREND_WINDOW)]

    result = velocity_trend.trend(old_speedup + recent_slowdown)

    assert result.slope == pytest.approx(3.0)
    assert result.status == DECELERATING
