"""A board's two flags are stored like a use case's (PRODUCT.md, "A decision objective per
board"): raised and cleared by the refresh, history kept, the board's members told; "objective
at risk" pinned one unit either side of a burn rate of 2 with a fixed clock."""

import datetime as dt
from decimal import Decimal

import pytest

from gates.choices import ReviewStatus
from gates.models import GateReview
from governance import services as governance
from governance.choices import BoardFlagKind
from governance.looks_ahead import objective_from_counts
from governance.models import Board, BoardFlag
from governance.services.board_flags import board_flag_causes, board_flags_refresh
from governance.watch import watch_refresh
from portfolio.models import Notification
from tests import factories

AT = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
AT_RISK, MISSED = BoardFlagKind.OBJECTIVE_AT_RISK, BoardFlagKind.OBJECTIVE_MISSED


@pytest.mark.parametrize(("burn_misses", "flagged"), [(199, False), (200, True)])
def test_at_risk_is_called_for_at_a_burn_rate_of_two_not_one_ninety_nine(burn_misses, flagged):
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

    assert (AT_RISK in board_flag_causes(figures)) is flagged
    assert MISSED not in board_flag_causes(figures)  # no miss in the window: budget intact


def reviews(department, head, *, decided_hours: list[int | None]):
    """A review per entry, requested 3 days before AT: decided after that many hours, or
    still open (None)."""
    for n, hours in enumerate(decided_hours):
        use_case = factories.submitted(department, head, title=f"Reviewed {n}", at=AT - 10 * 24 * H)
        review = governance.review_request(use_case=use_case, actor=head, at=AT - 72 * H)
        if hours is not None:
            GateReview.objects.filter(pk=review.pk).update(
                status=ReviewStatus.DECIDED, decided_at=AT - 72 * H + hours * H
            )


@pytest.mark.django_db
@pytest.mark.parametrize(("objective", "flagged"), [("0.8995", False), ("0.9", True)])
def test_at_risk_is_stored_at_two_and_not_at_one_ninety_nine(
    department, head, board, objective, flagged
):
    # Five decisions in the last 7 days, one past 48 h: burn = (1/5) / (1 - O).
    # O = 0.9: 0.2 / 0.1 = 2.0, at risk. O = 0.8995: 0.2 / 0.1005 = 1.990..., not at risk.
    Board.objects.filter(pk=board[0].pk).update(decision_objective=Decimal(objective))
    reviews(department, head, decided_hours=[10, 20, 30, 40, 50])

    board_flags_refresh(at=AT)

    stored = BoardFlag.objects.filter(board=board[0], kind=AT_RISK, cleared_at=None)
    assert stored.exists() is flagged


@pytest.mark.django_db
def test_flags_are_raised_once_told_to_the_members_and_cleared_with_history(
    department, head, board, chair, members
):
    # One review open 72 h, past T = 48 h: 1 event, 1 miss; burn (1/1)/0.1 = 10 (at risk);
    # budget 0.1 - 1 miss = -0.9 (missed).
    reviews(department, head, decided_hours=[None])

    first = board_flags_refresh(at=AT)
    again = board_flags_refresh(at=AT)

    assert (first[AT_RISK].raised, first[MISSED].raised) == (1, 1)
    assert (again[AT_RISK].raised, again[MISSED].raised, again[AT_RISK].still_open) == (0, 0, 1)
    told = Notification.objects.filter(link=f"/boards/{board[0].pk}/", kind="flag_raised")
    assert {n.recipient for n in told} == {chair, *members}
    assert told.count() == 2 * (1 + len(members))  # each member, once per flag

    # The target raised to 100 hours: the review, open 72 h, is no event; both flags clear.
    Board.objects.filter(pk=board[0].pk).update(decision_target_hours=100)
    cleared = board_flags_refresh(at=AT + H)

    assert (cleared[AT_RISK].cleared, cleared[MISSED].cleared) == (1, 1)
    assert BoardFlag.objects.filter(board=board[0], cleared_at=AT + H).count() == 2


@pytest.mark.django_db
def test_the_refresh_after_a_change_brings_the_board_flags_up_to_date(department, head, board):
    reviews(department, head, decided_hours=[None])
    use_case_id = GateReview.objects.get().use_case_id

    results = watch_refresh(use_case_id=use_case_id, at=AT)

    assert results[AT_RISK].raised == 1 and results[MISSED].raised == 1
