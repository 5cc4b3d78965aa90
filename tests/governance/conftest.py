"""Fixtures of the governance tests."""

import pytest

from tests.support.governance import SUBMITTED_AT


@pytest.fixture
def submitted_use_case(use_case, head):
    from portfolio import services

    return services.use_case_submit(use_case=use_case, actor=head, at=SUBMITTED_AT)
