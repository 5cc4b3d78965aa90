"""The adoption plateau (PRODUCT.md, "The flywheel looks ahead"): slopes against hand
computation, the 10% threshold one step either side, the mirror for "lower is better", and
the flag raised and cleared with the use case's other flags."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from portfolio.adoption import plateau, slope_per_day
from portfolio.models import Flag, FlagKind
from portfolio.services.flags import flags_sweep
from tests import factories
from tests.support.velocity import walk

T0 = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def series(values, start=T0):
    return [(start + dt.timedelta(days=i), Decimal(str(v))) for i, v in enumerate(values)]


def test_slope_per_day_is_the_median_pairwise_slope():
    # (0, 10), (1, 20), (2, 40): slopes 10, 15, 20 per day -> 15.
    assert slope_per_day(series([10, 20, 40])) == Decimal(15)
    # Two readings at the same moment give no slope.
    assert slope_per_day([(T0, Decimal(1)), (T0, Decimal(2))]) is None


@pytest.mark.parametrize(
    ("late", "slope", "stalled"),
    [
        ([41, 41.9, 42.8, 43.7], Decimal("0.9"), True),  # below 10% of 10
        ([41, 42, 43, 44], Decimal("1"), True),  # exactly 10%: "at most"
        ([41, 42.1, 43.2, 44.3], Decimal("1.1"), False),  # above
    ],
)
def test_plateau_at_exactly_ten_percent_of_the_early_slope(late, slope, stalled):
    # Early: 10, 20, 30, 40 on days 0-3, every pairwise slope 10 a day. Late: the last 4.
    found = plateau(series([10, 20, 30, 40, *late]), direction="higher", target=Decimal(100))
    assert (found is not None) is stalled
    if found:
        assert (found.early, found.late) == (Decimal(10), slope)


def test_no_plateau_once_the_target_is_reached_or_with_few_readings():
    readings = series([10, 20, 30, 40, 41, 42, 43, 44])
    assert plateau(readings, direction="higher", target=Decimal(44)) is None
    assert plateau(readings, direction="higher", target=Decimal("44.01")) is not None
    assert plateau(readings[:5], direction="higher", target=Decimal(100)) is None  # 5 < 6
    assert plateau(readings, direction="higher", target=None) is None


def test_the_mirror_for_lower_is_better():
    # Early -10 a day; late -1 (exactly 10% of it): plateau while above the target of 5.
    down = series([100, 90, 80, 70, 69, 68, 67, 66])
    assert plateau(down, direction="lower", target=Decimal(5)).late == Decimal(-1)
    steeper = series([100, 90, 80, 70, 68.9, 67.8, 66.7, 65.6])  # -1.1 a day
    assert plateau(steeper, direction="lower", target=Decimal(5)) is None
    assert plateau(down, direction="lower", target=Decimal(66)) is None  # reached


@pytest.mark.django_db
def test_the_flag_is_raised_and_cleared_with_the_other_flags(department, head):
    now = timezone.now()
    use_case = walk(
        factories.UseCaseFactory(department=department),
        head,
        [("submit", now - dt.timedelta(days=40)), ("advance", now - dt.timedelta(days=30))],
    )
    metric = factories.MetricFactory(
        use_case=use_case, name="Weekly users", direction="higher", target=Decimal(100)
    )
    start = now - dt.timedelta(days=10)
    for moment, value in series([10, 20, 30, 40, 41, 42, 43, 44], start=start):
        factories.ReadingFactory(metric=metric, measured_at=moment, value=value)
    flags_sweep(at=now)
    flag = Flag.objects.get(use_case=use_case, kind=FlagKind.ADOPTION_PLATEAU)
    assert flag.is_open and "Weekly users" in flag.reason
    # A jump: the last four (42, 43, 44, 80) slope 6.83 a day, far above 10% of the early
    # slope (10, 20, 30, 40, 41: median 10): the plateau is over and the flag clears.
    factories.ReadingFactory(metric=metric, measured_at=start + dt.timedelta(days=8), value=80)
    flags_sweep(at=now)
    flag.refresh_from_db()
    assert not flag.is_open
