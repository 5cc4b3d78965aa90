"""The cast of the evidence tests: a submitted use case, and one judged at G0 (the board,
its chair and the criteria come from tests/conftest.py)."""

import datetime as dt

import pytest
from django.core.cache import cache

from portfolio import services
from tests.support.piloting import T0, pass_g0


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submitted(use_case, head):
    return services.use_case_submit(use_case=use_case, actor=head, at=T0 - dt.timedelta(days=10))


@pytest.fixture
def piloting(submitted, head, board):
    pass_g0(submitted, head, board)
    submitted.refresh_from_db()
    return submitted
