"""Fixtures of the gates tests."""

import pytest

from gates import services


@pytest.fixture
def default_criteria(db):
    """The shipped criteria sets (a migration loads them; transactional tests flush them)."""
    return services.criteria_defaults_load()
