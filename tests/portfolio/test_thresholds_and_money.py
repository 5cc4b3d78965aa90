"""Diagnostic thresholds one day either side with a fixed clock, and the dashboard's money
against figures worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest

from console.dashboard.selectors import money_by_department, zombie_summary
from governance.watch import pilot_purgatory_causes, re_review_due_causes
from portfolio import selectors_hygiene, services
from portfolio.services.flags import stale_metric_causes
from tests import factories
from tests.support.piloting import T0
from tests.support.velocity import walk

DAY = timedelta(days=1)
# FLYWHEEL_RE_REVIEW_MONTHS (6) of 30.44 days: 182.64 days.
RE_REVIEW = timedelta(days=6 * 30.44)


@pytest.fixture
def scaled(department, head):
    """Submitted, then G0 and G1 passed (the moves authorised by a stand-in decision)."""
    use_case = factories.UseCaseFactory(department=department, title="Scaled")
    return walk(
        use_case,
        head,
        [("submit", T0 - 30 * DAY), ("advance", T0 - 20 * DAY), ("advance", T0)],
    )


def test_re_review_is_due_one_day_after_the_period_and_not_one_day_before(scaled):
    assert scaled.state == "scale"

    assert scaled.pk not in re_review_due_causes(at=T0 + RE_REVIEW - DAY)
    assert scaled.pk in re_review_due_causes(at=T0 + RE_REVIEW + DAY)


def test_pilot_purgatory_starts_one_day_after_the_time_box(department, head):
    use_case = factories.UseCaseFactory(department=department, pilot_time_box_days=90)
    walk(use_case, head, [("submit", T0 - 10 * DAY), ("advance", T0)])

    assert use_case.pk not in pilot_purgatory_causes(at=T0 + 89 * DAY)
    assert use_case.pk in pilot_purgatory_causes(at=T0 + 91 * DAY)


def test_a_zombie_is_on_hold_one_day_past_the_threshold(department, head, settings):
    settings.FLYWHEEL_ZOMBIE_DAYS = 90
    use_case = factories.UseCaseFactory(department=department)
    walk(use_case, head, [("submit", T0 - 10 * DAY), ("hold", T0)])

    assert list(selectors_hygiene.zombies(at=T0 + 89 * DAY)) == []
    assert list(selectors_hygiene.zombies(at=T0 + 91 * DAY)) == [use_case]
    assert zombie_summary(at=T0 + 89 * DAY)["count"] == 0
    assert zombie_summary(at=T0 + 91 * DAY)["count"] == 1


def test_a_weekly_metric_goes_stale_one_day_after_twice_its_cadence(department, head):
    use_case = factories.UseCaseFactory(department=department)
    walk(use_case, head, [("submit", T0 - 30 * DAY)])
    for metric in use_case.metrics.all():  # both weekly
        services.reading_add(actor=head, metric=metric, value=Decimal(5), measured_at=T0)

    assert use_case.pk not in stale_metric_causes(use_case_ids=[use_case.pk], at=T0 + 13 * DAY)
    assert use_case.pk in stale_metric_causes(use_case_ids=[use_case.pk], at=T0 + 15 * DAY)


# --- the dashboard's money, by hand --------------------------------------------------------------


def test_money_per_department_against_figures_worked_out_by_hand(department, head, other_head):
    for money in (
        {"build_cost": 100000, "run_cost_yearly": 20000, "expected_benefit_yearly": 240000},
        {
            "build_cost": 50000,
            "run_cost_yearly": 10000,
            "expected_benefit_yearly": 60000,
            "realised_benefit_yearly": 30000,
        },
    ):
        walk(factories.UseCaseFactory(department=department, **money), head, [("submit", T0)])
    factories.UseCaseFactory(department=department, build_cost=999999)  # a draft: not counted

    (claims,) = [row for row in money_by_department() if row["department__name"] == "Claims"]

    # Cost 100000 + 20000 + 50000 + 10000 = 180000; expected 240000 + 60000 = 300000;
    # realised 30000: ROI 300000 / 180000 = 5/3 and 30000 / 180000 = 1/6, exactly.
    assert (claims["use_cases"], claims["cost"]) == (2, Decimal(180000))
    assert claims["expected_roi"] == Decimal(5) / Decimal(3)
    assert claims["realised_roi"] == Decimal(1) / Decimal(6)


def test_spend_on_pilots_past_their_time_box_against_figures_worked_out_by_hand(department, head):
    late = factories.UseCaseFactory(
        department=department, build_cost=100000, run_cost_yearly=36500, pilot_time_box_days=90
    )
    walk(late, head, [("submit", T0 - 110 * DAY), ("advance", T0 - 100 * DAY)])
    on_time = factories.UseCaseFactory(department=department, pilot_time_box_days=90)
    walk(on_time, head, [("submit", T0 - 20 * DAY), ("advance", T0 - 10 * DAY)])

    overrun = selectors_hygiene.pilot_overrun_spend(at=T0)

    # 100 days in pilot: 100000 build + 36500 a year x 100 / 365 = 110000.00.
    assert overrun["total"] == Decimal("110000.00")
    assert overrun["by_department"] == {"Claims": Decimal("110000.00")}
    assert [p.pk for p in overrun["use_cases"]] == [late.pk]


def test_the_dashboard_page_shows_the_roi_it_computed(department, head, executive, client):
    walk(
        factories.UseCaseFactory(
            department=department,
            build_cost=100000,
            run_cost_yearly=20000,
            expected_benefit_yearly=119500,
        ),
        head,
        [("submit", T0)],
    )
    client.force_login(executive)

    page = client.get("/admin/").content.decode()

    # 119500 / 120000 = 0.99583...: shown with the digit that keeps it under 1.
    assert "0.996" in page
