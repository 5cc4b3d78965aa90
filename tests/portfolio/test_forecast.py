"""The forecast at intake and its back-test (PRODUCT.md, "The flywheel looks ahead"), pinned
against sequences worked out by hand, and the "behind forecast" flag one day either side."""

from decimal import Decimal

import pytest
from django.db import connection

from portfolio.forecast import (
    DEPARTMENT,
    PORTFOLIO,
    Completion,
    Subject,
    back_test,
    forecast_choose,
    forecast_fit,
    forecasts_at_submission,
    percentile_cont,
    theil_sen_line,
)
from portfolio.models import Flag, FlagKind, ForecastSnapshot
from portfolio.services.flags import flags_sweep
from portfolio.services.forecast import forecasts_refresh
from tests.support.forecast import day, e_scales_and_one_is_submitted

# ---------------------------------------------------------------- the pure rules


def test_theil_sen_line_and_forecast_match_the_hand_computation():
    # d = 10, 20, 15, 30 at i = 1..4.
    # Pairwise slopes: (1,2) 10, (1,3) 2.5, (1,4) 20/3, (2,3) -5, (2,4) 5, (3,4) 15;
    # sorted -5, 2.5, 5, 6.667, 10, 15: m = (5 + 20/3) / 2 = 35/6.
    # d_i - m*i: 10 - 35/6 = 25/6, 20 - 70/6 = 50/6, 15 - 105/6 = -15/6, 30 - 140/6 = 40/6;
    # sorted -15/6, 25/6, 40/6, 50/6: b = (25/6 + 40/6) / 2 = 65/12.
    m, b = theil_sen_line([10, 20, 15, 30])
    assert m == pytest.approx(35 / 6)
    assert b == pytest.approx(65 / 12)
    # f = b + m*5 = 65/12 + 350/12 = 415/12 = 34.5833.
    # Residuals d_i - (b + m*i): 10 - 135/12 = -15/12, 20 - 205/12 = 35/12,
    # 15 - 275/12 = -95/12, 30 - 345/12 = 15/12; sorted -95/12, -15/12, 15/12, 35/12.
    # P10: position 0.1*3 = 0.3: -95/12 + 0.3*(80/12) = -71/12; P90: position 2.7:
    # 15/12 + 0.7*(20/12) = 29/12. Interval: 415/12 - 71/12 = 344/12, 415/12 + 29/12 = 37.
    forecast = forecast_fit([10, 20, 15, 30], basis=DEPARTMENT)
    assert forecast.days == pytest.approx(415 / 12)
    assert forecast.low == pytest.approx(344 / 12)
    assert forecast.high == pytest.approx(37.0)
    assert (forecast.basis, forecast.n) == (DEPARTMENT, 4)


def test_a_forecast_and_its_interval_are_at_least_one_day():
    # 30, 20, 10: every slope -10, b = median(40, 40, 40) = 40, b + m*4 = 0 -> 1 day;
    # residuals all 0, so both ends are 1 + 0 = 1.
    forecast = forecast_fit([30, 20, 10], basis=DEPARTMENT)
    assert (forecast.days, forecast.low, forecast.high) == (1.0, 1.0, 1.0)
    # 30, 20, 12: slopes -10, -9, -8 -> m = -9; b = median(39, 38, 39) = 39;
    # f = 39 - 36 = 3; residuals 0, 0, 0... (30-30, 20-21, 12-12) = 0, -1, 0;
    # P10 at position 0.2 = -1 + 0.2*1 = -0.8 -> 2.2; P90 at 1.8 = 0 -> 3.
    forecast = forecast_fit([30, 20, 12], basis=DEPARTMENT)
    assert forecast.days == pytest.approx(3.0)
    assert forecast.low == pytest.approx(2.2)
    assert forecast.high == pytest.approx(3.0)


def test_three_durations_are_needed_then_the_portfolio_then_nothing():
    assert forecast_fit([10, 20], basis=DEPARTMENT) is None
    # Department 2 durations: the portfolio's 5, 5, 5 gives 5 with no spread.
    chosen = forecast_choose([10, 20], [5, 5, 5])
    assert (chosen.basis, chosen.n, chosen.days, chosen.low, chosen.high) == (
        PORTFOLIO,
        3,
        5.0,
        5.0,
        5.0,
    )
    assert forecast_choose([10, 20], [10, 20]) is None
    assert forecast_choose([10, 20, 30], [1, 1, 1, 1]).basis == DEPARTMENT


def test_percentile_cont_interpolates_between_ranks():
    # Sorted 1, 2, 4, 8: P10 at position 0.3 -> 1 + 0.3*1 = 1.3; P90 at 2.7 -> 4 + 0.7*4 = 6.8.
    assert percentile_cont([8, 1, 4, 2], 0.1) == pytest.approx(1.3)
    assert percentile_cont([8, 1, 4, 2], 0.9) == pytest.approx(6.8)
    assert percentile_cont([7], 0.9) == 7


@pytest.mark.django_db
def test_percentile_cont_agrees_with_postgresql():
    """The outside contract: PostgreSQL's own percentile_cont on the same values."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's percentile_cont is the reference")
    values = [3.5, -7.25, 0.0, 12.0, 1.0, 4.75, -2.0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY v), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY v) FROM unnest(%s::float8[]) v",
            [values],
        )
        p10, p90 = cursor.fetchone()
    assert percentile_cont(values, 0.1) == pytest.approx(p10)
    assert percentile_cont(values, 0.9) == pytest.approx(p90)


def test_forecast_at_submission_sees_only_durations_completed_before_it():
    # Department 1: three durations, the third ending on 10 March.
    done = [
        Completion(1, 1, day(2026, 1, 1), day(2026, 1, 11), 10.0),
        Completion(2, 1, day(2026, 1, 2), day(2026, 1, 22), 20.0),
        Completion(3, 1, day(2026, 1, 3), day(2026, 3, 10), 66.0),
    ]
    subjects = [
        Subject(10, 1, day(2026, 3, 10)),  # the third ended at this very moment: not before
        Subject(11, 1, day(2026, 3, 10, 1)),
    ]
    result = forecasts_at_submission(done, subjects)
    assert result[10] is None
    # 10, 20, 66: slopes 10, 28, 46 -> m = 28; b = median(-18, -36, -18) = -18;
    # f = -18 + 28*4 = 94.
    assert result[11].days == pytest.approx(94.0)
    assert (result[11].basis, result[11].n) == (DEPARTMENT, 3)


def test_back_test_mean_absolute_error_and_coverage():
    a = forecast_fit([10, 10, 10], basis=DEPARTMENT)  # 10, interval [10, 10]
    b = forecast_fit([10, 20, 15, 30], basis=DEPARTMENT)  # 34.58, [28.67, 37]
    # Errors: |10 - 10| = 0 (inside), |34.5833 - 37| = 2.4167 (inside, the upper end),
    # |34.5833 - 20| = 14.5833 (outside). MAE = 17/3 = 5.6667; coverage 2/3.
    result = back_test([(a, 10.0), (b, 37.0), (b, 20.0)])
    assert result.count == 3
    assert result.mean_absolute_error == pytest.approx((0 + 29 / 12 + 175 / 12) / 3)
    assert (result.covered, result.coverage) == (2, pytest.approx(2 / 3))
    assert back_test([]).mean_absolute_error is None


# ---------------------------------------------------------------- stored by the job


def stored(use_case, measure):
    return ForecastSnapshot.objects.get(use_case=use_case, measure=measure)


@pytest.mark.django_db
def test_stored_forecasts_at_submission_match_the_hand_computation(history, department):
    e, f = history["E"], history["F"]
    # E at 1 March: Claims intakes 10, 20, 15, 30 (A-D) -> 415/12, [344/12, 37] (above).
    row = stored(e, "intake")
    assert (row.basis, row.n) == ("department", 4)
    assert (row.days, row.low, row.high) == (
        Decimal("34.5833"),
        Decimal("28.6667"),
        Decimal("37.0000"),
    )
    assert row.actual_days == Decimal("4.0000")
    # E's pilot: A, B, C each 10 days -> 10, [10, 10].
    row = stored(e, "pilot")
    assert (row.days, row.low, row.high, row.n) == (Decimal("10"), Decimal("10"), Decimal("10"), 3)
    assert row.actual_days is None
    # E's time to scale: A 20 (1 to 21 Jan), B 30 (2 Jan to 1 Feb), C 25 (3 to 28 Jan).
    # Slopes 10, 2.5, -5 -> m = 2.5; b = median(17.5, 25, 17.5) = 17.5;
    # f = 17.5 + 2.5*4 = 27.5; residuals 0, 7.5, 0: P10 = 0, P90 at position 1.8 =
    # 0.8*7.5 = 6 -> [27.5, 33.5].
    row = stored(e, "to_scale")
    assert (row.days, row.low, row.high) == (Decimal("27.5"), Decimal("27.5"), Decimal("33.5"))
    # F at 20 January: Claims had only A (10) and C (15) done; the portfolio in submission
    # order P 5, Q 5, R 5, A 10, C 15. Slopes (10 pairs) median 2.5; b = median(2.5, 0, -2.5,
    # 0, 2.5) = 0; f = 2.5*6 = 15; residuals 2.5, 0, -2.5, 0, 2.5: P10 at 0.4 = -1.5,
    # P90 at 3.6 = 2.5 -> [13.5, 17.5].
    row = stored(f, "intake")
    assert (row.basis, row.n) == ("portfolio", 5)
    assert (row.days, row.low, row.high) == (Decimal("15"), Decimal("13.5"), Decimal("17.5"))
    # A was submitted when nothing had completed: no forecast ("not enough history").
    assert not ForecastSnapshot.objects.filter(use_case=history["A"]).exists()


@pytest.mark.django_db
def test_the_next_forecast_per_department_uses_everything_completed(
    history, department, other_department
):
    # Claims intakes in submission order: A 10, B 20, C 15, D 30, F 42, E 4 (all six done
    # by 6 March); the row is the fit pinned above applied to that sequence, in that order.
    expected = forecast_fit([10, 20, 15, 30, 42, 4], basis="department")
    row = ForecastSnapshot.objects.get(
        scope=f"department:{department.pk}", measure="intake", use_case=None
    )
    assert (row.basis, row.n) == ("department", 6)
    assert float(row.days) == pytest.approx(expected.days, abs=1e-4)
    other = ForecastSnapshot.objects.get(
        scope=f"department:{other_department.pk}", measure="intake", use_case=None
    )
    assert (other.basis, other.n, other.days) == ("department", 3, Decimal("5"))
    # Nobody in the other department reached scale: the portfolio's 3 (A, B, C).
    other = ForecastSnapshot.objects.get(
        scope=f"department:{other_department.pk}", measure="to_scale", use_case=None
    )
    assert (other.basis, other.n) == ("portfolio", 3)


@pytest.mark.django_db
def test_refresh_is_idempotent_and_scoped(history, department):
    before = list(
        ForecastSnapshot.objects.order_by("scope", "measure", "use_case_id").values_list(
            "scope", "measure", "use_case_id", "days", "low", "high", "n", "basis"
        )
    )
    forecasts_refresh(department_id=department.pk, at=day(2026, 3, 6))
    forecasts_refresh(at=day(2026, 3, 6))
    after = list(
        ForecastSnapshot.objects.order_by("scope", "measure", "use_case_id").values_list(
            "scope", "measure", "use_case_id", "days", "low", "high", "n", "basis"
        )
    )
    assert after == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "flagged"),
    [(day(2026, 3, 14), False), (day(2026, 3, 15), False), (day(2026, 3, 16), True)],
)
def test_behind_forecast_one_day_either_side(history, moment, flagged):
    # E entered pilot on 5 March; its pilot forecast's upper end is 10 days: 15 March is
    # exactly at the end (not past it), 16 March is one day past, 14 March one day inside.
    flags_sweep(at=moment)
    open_flags = Flag.objects.filter(
        use_case=history["E"], kind=FlagKind.BEHIND_FORECAST, cleared_at__isnull=True
    )
    assert open_flags.exists() is flagged
    if flagged:
        assert "past the forecast's 80% upper end of 10.0 days" in open_flags.get().reason
        # It clears like any other flag once the cause is gone (a forecast that moved).
        ForecastSnapshot.objects.filter(use_case=history["E"], measure="pilot").update(high=30)
        flags_sweep(at=moment)
        assert not open_flags.exists()
        assert (
            Flag.objects.filter(use_case=history["E"], kind=FlagKind.BEHIND_FORECAST).count() == 1
        )


@pytest.mark.django_db
def test_a_department_refresh_after_a_transition_equals_the_full_refresh(history, department, head):
    # E reaches scale and a new use case is submitted: the department's refresh (which
    # recomputes only the use cases whose forecasts may have moved) leaves the same rows
    # as a full refresh.
    e_scales_and_one_is_submitted(history, head, department, head, "N")
    columns = (
        "scope",
        "measure",
        "use_case_id",
        "days",
        "low",
        "high",
        "n",
        "basis",
        "actual_days",
    )

    def rows():
        return list(
            ForecastSnapshot.objects.order_by("scope", "measure", "use_case_id").values_list(
                *columns
            )
        )

    forecasts_refresh(department_id=department.pk, at=day(2026, 3, 22))
    after_department = rows()
    forecasts_refresh(at=day(2026, 3, 22))
    assert after_department == rows()
    # E's pilot completed: 5 to 20 March = 15 days, against its forecast of 10 [10, 10].
    row = stored(history["E"], "pilot")
    assert (row.days, row.actual_days) == (Decimal("10"), Decimal("15"))
