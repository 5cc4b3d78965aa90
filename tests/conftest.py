"""Fixtures shared by the whole suite, and the rule for tests that need real services."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests import factories
from tests.support.services import skip_or_fail

# Property tests must not depend on how busy the machine is: no per-example deadline and no
# health check that times generation (CI runs on a shared two-core machine), a fixed seed so a
# CI failure reproduces, and no example database written into the clone.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
    database=None,
    print_blob=True,
)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


# Fixtures several apps' tests use, from tests/support: the API cast (`world`), a use case
# submitted and one piloting, served embedded instances, Chromium pages, the loopback webhook
# receiver, private Redis servers for the jobs, velocity walks and forecast histories.
pytest_plugins = [
    "tests.support.cast",
    "tests.support.piloting",
    "tests.support.servers",
    "tests.support.browser",
    "tests.support.receiver",
    "tests.support.jobs",
    "tests.support.velocity",
    "tests.support.forecast",
]


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counters and lockouts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def site_language_after():
    """A page asked in German leaves German active in the thread (the locale middleware
    activates and never resets it); the next test starts in the site's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def require_postgres():
    """A PostgreSQL-only test: skipped in the deliberate SQLite pass (FLYWHEEL_TEST_DB=sqlite);
    a PostgreSQL that is missing otherwise skips loudly, and fails under REQUIRE_SERVICES=1."""
    if settings.TEST_DB_VENDOR == "postgresql":
        return
    if os.environ.get("FLYWHEEL_TEST_DB") == "sqlite":
        pytest.skip("PostgreSQL-only test; this is the SQLite pass")
    skip_or_fail("this test needs PostgreSQL (set TEST_DATABASE_URL or start it)")


@pytest.fixture
def department(db):
    return factories.DepartmentFactory(name="Claims", slug="claims")


@pytest.fixture
def other_department(db):
    return factories.DepartmentFactory(name="Marketing", slug="marketing")


@pytest.fixture
def head(department):
    return factories.head_of(department, username="claims-head")


@pytest.fixture
def other_head(other_department):
    return factories.head_of(other_department, username="marketing-head")


@pytest.fixture
def executive(db):
    return factories.executive(username="exec")


@pytest.fixture
def admin_user(db):
    return factories.administrator(username="portfolio-admin")


@pytest.fixture
def use_case(department):
    """A draft with a complete intake in the Claims department."""
    return factories.UseCaseFactory(department=department)


@pytest.fixture
def default_criteria(db):
    """The shipped criteria sets (a migration loads them; transactional tests flush them)."""
    from gates import services

    return services.criteria_defaults_load()


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
