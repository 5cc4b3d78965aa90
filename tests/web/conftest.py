"""Fixtures of the web and dashboard tests: a board, reviews, decided use cases."""

import datetime as dt

import pytest
from django.utils import timezone

from gates import services as gate_services
from governance import services as governance_services
from portfolio import services
from tests import factories


@pytest.fixture
def default_criteria(db):
    return gate_services.criteria_defaults_load()


@pytest.fixture
def board(db, default_criteria):
    """A whole-portfolio board: a voting chair and two voting members."""
    return factories.board_with(3, name="Portfolio board")


@pytest.fixture
def chair(board):
    return board[1][0].user


@pytest.fixture
def members(board):
    return [seat.user for seat in board[1][1:]]


def submitted(department, head, *, at=None, **fields):
    use_case = factories.UseCaseFactory(department=department, **fields)
    return services.use_case_submit(use_case=use_case, actor=head, at=at)


def decided(department, head, chair, members, *, verdict="go", at=None):
    """A use case submitted, reviewed at G0 and decided by the whole board."""
    at = at or timezone.now() - dt.timedelta(days=3)
    use_case = submitted(department, head, at=at - dt.timedelta(days=2))
    factories.ReadingFactory(metric=use_case.metrics.first(), measured_at=at)
    review = governance_services.review_request(use_case=use_case, actor=head, at=at)
    for user in (chair, *members):
        governance_services.vote_cast(
            review=review, actor=user, choice=verdict, comment="Evidence holds.", at=at
        )
    governance_services.review_close(
        review=review,
        actor=chair,
        rationale="The board weighed the evidence.",
        at=at + dt.timedelta(hours=20),
    )
    return review
