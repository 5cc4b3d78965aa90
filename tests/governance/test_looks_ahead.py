"""Cost of delay, the decision objective with its error budget, and escalation to the
board's fallback (PRODUCT.md, "The flywheel looks ahead"): figures against hand
computation, one unit either side of every threshold with a fixed clock."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.actions import actions_for
from gates.models import GateReview
from governance import services as governance
from governance.looks_ahead import (
    ReviewTimes,
    escalated,
    objective_figures,
    objective_from_counts,
    review_delay,
    value_per_day,
)
from governance.selectors_looks_ahead import board_objectives, delay_totals, review_queue_costs
from governance.services.escalations import review_escalations_notify
from portfolio.models import Notification, UseCase
from tests import factories
from tests.support.velocity import walk

AT = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


# ---------------------------------------------------------------- pure rules


def test_cost_of_delay_matches_the_hand_computation():
    # 36,500 a year / 365 = 100 a day. Requested 3.5 days ago, target 48 h = 2 days:
    # waiting 3.5 x 100 = 350; overdue (3.5 - 2) x 100 = 150.
    assert value_per_day(Decimal("36500")) == Decimal(100)
    delay = review_delay(benefit=Decimal("36500"), requested_at=AT - 84 * H, target_hours=48, at=AT)
    assert (delay.days_waiting, delay.waiting_cost, delay.overdue_cost) == (
        Decimal("3.5"),
        Decimal("350"),
        Decimal("150"),
    )
    # Within the target: no overdue cost. No benefit estimate: no figure at all.
    assert review_delay(
        benefit=Decimal("36500"), requested_at=AT - 47 * H, target_hours=48, at=AT
    ).overdue_cost == Decimal(0)
    none = review_delay(benefit=None, requested_at=AT - 84 * H, target_hours=48, at=AT)
    assert (none.value_per_day, none.waiting_cost, none.overdue_cost) == (None, None, None)


@pytest.mark.parametrize(
    ("burn_misses", "burn", "at_risk"),
    [(199, Decimal("1.99"), False), (200, Decimal("2"), True)],
)
def test_burn_rate_one_unit_either_side_of_two(burn_misses, burn, at_risk):
    # O = 0.9: burn = (misses / events) / 0.1; 199/1000/0.1 = 1.99, 200/1000/0.1 = 2.0.
    figures = objective_from_counts(
        target_hours=48,
        objective=Decimal("0.9"),
        window_days=28,
        events=1000,
        misses=0,
        burn_events=1000,
        burn_misses=burn_misses,
    )
    assert figures.burn_rate == burn
    assert figures.at_risk is at_risk


@pytest.mark.parametrize(
    ("events", "misses", "remaining", "missed"),
    [(10, 0, Decimal("1.0"), False), (10, 1, Decimal("0.0"), True), (20, 1, Decimal("1.0"), False)],
)
def test_objective_missed_when_the_budget_is_spent(events, misses, remaining, missed):
    # Budget = (1 - 0.9) x events: 10 events -> 1.0 decision past the target allowed.
    figures = objective_from_counts(
        target_hours=48,
        objective=Decimal("0.9"),
        window_days=28,
        events=events,
        misses=misses,
        burn_events=0,
        burn_misses=0,
    )
    assert figures.remaining == remaining
    assert figures.missed is missed


def test_rolling_figures_from_review_moments():
    reviews = [
        ReviewTimes(AT - 10 * D - 24 * H, AT - 10 * D),  # decided in 24 h, 10 days ago: good
        ReviewTimes(AT - 3 * D - 72 * H, AT - 3 * D),  # decided in 72 h, 3 days ago: miss
        ReviewTimes(AT - 49 * H, None),  # open past 48 h: a miss
        ReviewTimes(AT - 47 * H, None),  # open, not yet past T: no event
        ReviewTimes(AT - 30 * D - 24 * H, AT - 30 * D),  # decided before the 28-day window
        ReviewTimes(AT - 10 * H, AT + D),  # decided after AT: open at AT, not past T
    ]
    f = objective_figures(reviews, target_hours=48, objective=Decimal("0.9"), window_days=28, at=AT)
    # 28 days: events 3 (good 1, misses 2); budget 0.1 x 3 = 0.3; remaining 0.3 - 2 = -1.7.
    assert (f.events, f.good, f.misses) == (3, 1, 2)
    assert (f.budget, f.remaining) == (Decimal("0.3"), Decimal("-1.7"))
    # 7 days: the 72-hour decision and the open one: 2 misses of 2 -> (2/2) / 0.1 = 10.
    assert (f.burn_events, f.burn_misses, f.burn_rate) == (2, 2, Decimal(10))
    assert f.at_risk and f.missed


@pytest.mark.parametrize(("hours", "expected"), [(95, False), (96, True), (97, True)])
def test_escalation_at_twice_the_target(hours, expected):
    # T = 48 h: escalated from 2 x 48 = 96 hours on.
    assert escalated(requested_at=AT - hours * H, target_hours=48, at=AT) is expected


# ---------------------------------------------------------------- with the database


@pytest.fixture
def portfolio_board(board):
    return board[0]


def reviewed(department, head, *, benefit, hours_ago, title):
    """A submitted use case with an open review requested ``hours_ago``. Submission needs a
    benefit estimate; "no estimate" (an imported record) is written past it afterwards."""
    use_case = factories.submitted(
        department,
        head,
        title=title,
        expected_benefit_yearly=benefit or Decimal(1),
        at=timezone.now() - dt.timedelta(days=30),
    )
    if benefit is None:
        UseCase.objects.filter(pk=use_case.pk).update(expected_benefit_yearly=None)
        use_case.refresh_from_db()
    return governance.review_request(
        use_case=use_case, actor=head, at=timezone.now() - hours_ago * H
    )


@pytest.mark.django_db
def test_review_queue_sorts_by_value_per_day_then_waiting(department, head, board, chair):
    low = reviewed(department, head, benefit=Decimal("36500"), hours_ago=72, title="Low")
    high = reviewed(department, head, benefit=Decimal("73000"), hours_ago=24, title="High")
    none = reviewed(department, head, benefit=None, hours_ago=120, title="None")
    reviews = list(
        GateReview.objects.filter(pk__in=[low.pk, high.pk, none.pk]).select_related("use_case")
    )
    ordered = review_queue_costs(reviews)
    assert [r.use_case.title for r in ordered] == ["High", "Low", "None"]
    # High: 200 a day x 1 day waiting = 200, within 48 h: no overdue cost.
    assert ordered[0].delay.waiting_cost == pytest.approx(Decimal(200), abs=Decimal("0.01"))
    # Low: 100 a day x (3 - 2) days past the 48-hour target = 100.
    assert ordered[1].delay.overdue_cost == pytest.approx(Decimal(100), abs=Decimal("0.01"))


@pytest.mark.django_db
def test_review_queue_page_shows_costs_and_no_estimate(client, department, head, board, chair):
    reviewed(department, head, benefit=Decimal("73000"), hours_ago=72, title="High")
    reviewed(department, head, benefit=None, hours_ago=120, title="None")
    client.force_login(chair)
    body = client.get(reverse("review-queue")).content.decode()
    assert body.index("High") < body.index("None")
    assert "no benefit estimate" in body
    assert "200.00" in body  # value per day of High: 73,000 / 365


@pytest.mark.django_db
def test_delay_totals_by_department_and_board(department, head, board):
    # Overdue: 36,500 a year (100 a day), requested 72 h ago, target 48 h -> 1 day x 100.
    reviewed(department, head, benefit=Decimal("36500"), hours_ago=72, title="Overdue")
    # Purgatory: 73,000 a year (200 a day), in pilot for 100 days, time box 90 -> 10 x 200.
    now = timezone.now()
    pilot = factories.UseCaseFactory(
        department=department, expected_benefit_yearly=Decimal("73000"), pilot_time_box_days=90
    )
    walk(pilot, head, [("submit", now - 120 * D), ("advance", now - 100 * D)])
    totals = delay_totals(at=now)
    (row,) = totals["departments"]
    assert row["overdue_count"] == 1
    assert row["overdue_cost"] == pytest.approx(Decimal("100.00"), abs=Decimal("0.02"))
    assert row["purgatory_count"] == 1
    assert row["purgatory_cost"] == pytest.approx(Decimal("2000.00"), abs=Decimal("0.02"))
    (by_board,) = totals["boards"]
    assert by_board["board"] == board[0].name
    assert by_board["overdue_cost"] + by_board["purgatory_cost"] == pytest.approx(
        Decimal("2100"), abs=Decimal("0.05")
    )


@pytest.mark.django_db
def test_board_objective_and_its_page(client, department, head, board, chair, members):
    reviewed(department, head, benefit=Decimal("36500"), hours_ago=49, title="Open past T")
    (entry,) = board_objectives(history_days=3)
    # One event (the open review past 48 h), one miss; budget 0.1, remaining -0.9;
    # burn (1/1)/0.1 = 10: at risk, and missed.
    assert (entry.figures.events, entry.figures.misses) == (1, 1)
    assert entry.figures.remaining == Decimal("-0.9")
    assert entry.figures.at_risk and entry.figures.missed
    assert len(entry.history) == 3
    client.force_login(chair)
    page = client.get(reverse("board-objective", args=[board[0].pk])).content.decode()
    assert "objective missed" in page
    assert 'data-chart="budget"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(("hours_ago", "asked"), [(95, False), (97, True)])
def test_escalation_to_the_fallback_in_my_actions_and_once_by_notification(
    department, head, board, executive, hours_ago, asked
):
    governance.board_update(board=board[0], fallback_executive=executive)
    review = reviewed(department, head, benefit=None, hours_ago=hours_ago, title="Waiting")
    kinds = [a.kind for a in actions_for(executive)]
    assert ("escalated_review" in kinds) is asked
    assert review_escalations_notify() == (1 if asked else 0)
    assert review_escalations_notify() == 0  # told once
    assert Notification.objects.filter(recipient=executive, kind="review_escalated").count() == (
        1 if asked else 0
    )
    # Nothing is decided for the board.
    review.refresh_from_db()
    assert review.status == "open"


@pytest.mark.django_db
def test_board_objective_settings_through_the_api(board, admin_user, other_department):
    client = APIClient()
    client.force_authenticate(admin_user)
    url = f"/api/boards/{board[0].pk}/"
    response = client.patch(
        url, {"decision_target_hours": 24, "decision_objective": "0.95"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["decision_target_hours"], response.json()["decision_objective"]) == (
        24,
        "0.9500",
    )
    assert client.patch(url, {"decision_objective": "1.5"}, format="json").status_code == 400
    _other, seats = factories.board_with(1, name="Other board", covers_all=False)
    bad = client.patch(url, {"fallback_member": seats[0].pk}, format="json")
    assert bad.status_code == 400
    assert "fallback_member" in str(bad.json())
    fine = client.patch(url, {"fallback_member": board[1][1].pk}, format="json")
    assert fine.status_code == 200


@pytest.mark.django_db
def test_objective_and_cost_of_delay_through_the_api(department, head, board, chair):
    reviewed(department, head, benefit=Decimal("36500"), hours_ago=72, title="Overdue")
    client = APIClient()
    client.force_authenticate(chair)
    objective = client.get(f"/api/boards/{board[0].pk}/objective/")
    assert objective.status_code == 200
    body = objective.json()
    # One open review past 48 h: 1 event, 1 miss, budget 0.1, remaining -0.9, burn 10.
    assert (body["events"], body["misses"], body["budget"], body["remaining"]) == (
        1,
        1,
        "0.1000",
        "-0.9000",
    )
    assert (body["burn_rate"], body["at_risk"], body["missed"]) == ("10.0000", True, True)
    delay = client.get("/api/boards/cost-of-delay/")
    assert delay.status_code == 200
    (row,) = delay.json()["departments"]
    # 100 a day x (3 - 2) days past the target.
    assert Decimal(row["overdue_cost"]) == pytest.approx(Decimal(100), abs=Decimal("0.02"))
    assert row["board"] == board[0].name
