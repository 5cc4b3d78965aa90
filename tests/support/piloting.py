"""A use case submitted, and one through G0 into pilot (the `submitted` and `piloting` fixtures)."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from governance import services as governance
from portfolio import services

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def pass_g0(use_case, head, board, at=T0):
    """Request G0, every seat votes go, the chair closes: the use case is in pilot and its
    goalposts are locked."""
    review = governance.review_request(use_case=use_case, actor=head, at=at)
    for seat in board[1]:
        governance.vote_cast(review=review, actor=seat.user, choice="go", comment="Go.", at=at)
    governance.review_close(
        review=review, actor=board[1][0].user, rationale="The evidence holds.", at=at
    )
    return review


@pytest.fixture
def submitted(use_case, head):
    return services.use_case_submit(use_case=use_case, actor=head, at=T0 - dt.timedelta(days=10))


@pytest.fixture
def piloting(submitted, head, board):
    pass_g0(submitted, head, board)
    submitted.refresh_from_db()
    return submitted
