"""Fixtures of the governance tests."""

import datetime as dt

import pytest

from gates import services

# Moments the tests write history at: submitted ten days before the review is requested.
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
SUBMITTED_AT = T0 - dt.timedelta(days=10)


@pytest.fixture
def default_criteria(db):
    """The shipped criteria sets (a migration loads them; transactional tests flush them)."""
    return services.criteria_defaults_load()


@pytest.fixture
def board(db, default_criteria):
    """A whole-portfolio board: a voting chair and two voting members."""
    from tests import factories

    return factories.board_with(3, name="Portfolio board")


@pytest.fixture
def chair(board):
    return board[1][0].user


@pytest.fixture
def submitted_use_case(use_case, head):
    from portfolio import services

    return services.use_case_submit(use_case=use_case, actor=head, at=SUBMITTED_AT)
