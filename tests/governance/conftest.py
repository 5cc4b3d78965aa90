"""Fixtures of the governance tests."""

import datetime as dt

import pytest

# Moments the tests write history at: submitted ten days before the review is requested.
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
SUBMITTED_AT = T0 - dt.timedelta(days=10)


@pytest.fixture
def submitted_use_case(use_case, head):
    from portfolio import services

    return services.use_case_submit(use_case=use_case, actor=head, at=SUBMITTED_AT)
