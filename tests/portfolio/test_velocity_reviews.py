"""Velocity figures and flags that need reviews (gates.review_figures, governance.watch): decision
latency, decision overdue, pilot purgatory, condition overdue with its re-review, re-review
due, kill rate per gate."""

import datetime as dt

import pytest

from gates import review_figures
from gates import services as gate_services
from gates.choices import Purpose, ReviewStatus
from gates.models import GateReview
from governance import services
from governance.watch import watch_sweep
from portfolio.models import Flag, FlagKind
from tests import factories
from tests.support.velocity import walk

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def board(db):
    gate_services.criteria_defaults_load()
    return factories.board_with(3, name="Portfolio board")


@pytest.fixture
def submitted(use_case, head):
    return walk(use_case, head, [("submit", T0 - 10 * DAY)])


def decide(review, board, choice="go", at=T0 + 30 * HOUR, **kwargs):
    for seat in board[1]:
        services.vote_cast(review=review, actor=seat.user, choice=choice, comment="ok")
    return services.review_close(
        review=review, actor=board[1][0].user, at=at, rationale="As voted.", **kwargs
    )


def open_flags(kind):
    return list(Flag.objects.filter(kind=kind, cleared_at=None))


def test_decision_overdue_after_48_hours_open(submitted, head, board):
    services.review_request(use_case=submitted, actor=head, at=T0)

    watch_sweep(at=T0 + 47 * HOUR)
    assert open_flags(FlagKind.DECISION_OVERDUE) == []

    watch_sweep(at=T0 + 49 * HOUR)
    (flag,) = open_flags(FlagKind.DECISION_OVERDUE)
    assert flag.reason == "G0 review open for 49 hours (target 48 hours)."


def test_decision_overdue_clears_once_decided(submitted, head, board):
    review = services.review_request(use_case=submitted, actor=head, at=T0)
    watch_sweep(at=T0 + 49 * HOUR)

    decide(review, board, at=T0 + 50 * HOUR)
    watch_sweep(at=T0 + 51 * HOUR)

    assert open_flags(FlagKind.DECISION_OVERDUE) == []
    assert Flag.objects.get(kind=FlagKind.DECISION_OVERDUE).cleared_at == T0 + 51 * HOUR


def test_decision_latency_by_month_takes_the_median(department, head, board):
    for hours, day in ((30, 0), (10, 1), (90, 2)):
        use_case = walk(
            factories.UseCaseFactory(department=department), head, [("submit", T0 - 10 * DAY)]
        )
        review = services.review_request(use_case=use_case, actor=head, at=T0 + day * DAY)
        decide(review, board, at=T0 + day * DAY + hours * HOUR)

    (march,) = review_figures.decision_latency_by_month()

    assert march == {
        "month": "2025-03",
        "reviews": 3,
        "median_hours": 30.0,
        "max_hours": 90.0,
        "within_target": 2,
    }


def test_pilot_purgatory_past_the_time_box_with_no_review_open(submitted, head, board):
    review = services.review_request(use_case=submitted, actor=head, at=T0)
    decide(review, board)  # in pilot from T0 + 30 h, 90-day time box

    watch_sweep(at=T0 + 80 * DAY)
    assert open_flags(FlagKind.PILOT_PURGATORY) == []

    watch_sweep(at=T0 + 100 * DAY)
    (flag,) = open_flags(FlagKind.PILOT_PURGATORY)
    assert "past its 90-day time box" in flag.reason


def test_a_requested_review_ends_pilot_purgatory(submitted, head, board):
    decide(services.review_request(use_case=submitted, actor=head, at=T0), board)
    watch_sweep(at=T0 + 100 * DAY)

    services.review_request(use_case=submitted, actor=head, at=T0 + 101 * DAY)
    watch_sweep(at=T0 + 101 * DAY)

    assert open_flags(FlagKind.PILOT_PURGATORY) == []


def test_an_overdue_condition_flags_and_opens_one_mandatory_re_review(submitted, head, board):
    review = services.review_request(use_case=submitted, actor=head, at=T0)
    due = dt.date(2025, 4, 1)
    decide(
        review,
        board,
        choice="conditional_go",
        conditions=[{"text": "Sign the data-sharing agreement.", "due_date": due}],
    )

    watch_sweep(at=dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC))
    assert open_flags(FlagKind.CONDITION_OVERDUE) == []

    result = watch_sweep(at=dt.datetime(2025, 4, 2, 9, tzinfo=dt.UTC))
    watch_sweep(at=dt.datetime(2025, 4, 2, 9, 15, tzinfo=dt.UTC))

    (flag,) = open_flags(FlagKind.CONDITION_OVERDUE)
    assert "was due 2025-04-01 and is open" in flag.reason
    (re_review,) = GateReview.objects.filter(purpose=Purpose.RE_REVIEW)
    assert result["re_reviews_opened"] == [re_review.pk]
    assert (re_review.gate, re_review.status, re_review.requested_by) == ("G0", "open", None)


def test_a_met_condition_is_not_overdue(submitted, head, board):
    review = services.review_request(use_case=submitted, actor=head, at=T0)
    decision = decide(
        review,
        board,
        choice="conditional_go",
        conditions=[{"text": "Hire an operator.", "due_date": dt.date(2025, 4, 1)}],
    )
    services.condition_resolve(
        condition=decision.conditions.get(), actor=board[1][0].user, met=True
    )

    watch_sweep(at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))

    assert open_flags(FlagKind.CONDITION_OVERDUE) == []
    assert not GateReview.objects.filter(purpose=Purpose.RE_REVIEW).exists()


def test_a_live_use_case_is_due_for_re_review_after_six_months(department, head):
    live = factories.UseCaseFactory(department=department)
    walk(live, head, [("submit", T0), ("advance", T0 + DAY), ("advance", T0 + 10 * DAY)])

    watch_sweep(at=T0 + 100 * DAY)
    assert open_flags(FlagKind.RE_REVIEW_DUE) == []

    watch_sweep(at=T0 + 200 * DAY)
    (flag,) = open_flags(FlagKind.RE_REVIEW_DUE)
    assert flag.reason == "Live in scale with no review since 2025-03-13; re-review every 6 months."


def test_kill_rate_per_gate(department, head):
    for plan in (
        [("submit", T0), ("kill", T0 + DAY)],
        [("submit", T0), ("hold", T0 + DAY), ("kill", T0 + 2 * DAY)],
        [("submit", T0), ("advance", T0 + DAY)],
        [("submit", T0), ("advance", T0 + DAY), ("kill", T0 + 5 * DAY)],
    ):
        walk(factories.UseCaseFactory(department=department), head, plan)

    rates = {row["gate"]: row for row in review_figures.kill_rate_per_gate()}

    assert (rates["G0"]["reached"], rates["G0"]["killed"], rates["G0"]["rate"]) == (4, 2, 0.5)
    assert (rates["G1"]["reached"], rates["G1"]["killed"], rates["G1"]["rate"]) == (2, 1, 0.5)
    assert (rates["G2"]["reached"], rates["G2"]["rate"]) == (0, None)


def test_review_status_choice_is_open_until_decided(submitted, head, board):
    review = services.review_request(use_case=submitted, actor=head, at=T0)
    assert review.status == ReviewStatus.OPEN
    assert review_figures.review_latency_hours(review) is None
    decide(review, board)
    review.refresh_from_db()
    assert review_figures.review_latency_hours(review) == 30
