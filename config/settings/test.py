"""Test settings: PostgreSQL when it answers (or TEST_DATABASE_URL says), else SQLite.

The suite runs on PostgreSQL in CI (REQUIRE_SERVICES=1 makes a missing server an error)
and also passes on SQLite (FLYWHEEL_TEST_DB=sqlite forces it).
"""

import os

import psycopg

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, SQLITE_ENGINE, SQLITE_OPTIONS

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flywheel"
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The suite runs in two processes (pytest-xdist, `-n 2` in the Makefile): each names its own
# Redis database, as pytest-django names each its own test database (suffix _gw0, _gw1).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw"):
    _base, _number = TEST_REDIS_URL.rsplit("/", 1)
    TEST_REDIS_URL = f"{_base}/{int(_number) - int(_XDIST_WORKER[2:])}"


def _postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=2):
            return True
    except psycopg.Error:
        return False


TEST_DB_VENDOR = os.environ.get("FLYWHEEL_TEST_DB", "")
if TEST_DB_VENDOR != "sqlite" and _postgres_answers(
    TEST_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
):
    TEST_DB_VENDOR = "postgresql"
    DATABASES = {"default": env.db_url_config(TEST_DATABASE_URL)}  # noqa: F405
elif TEST_DB_VENDOR != "sqlite" and REQUIRE_SERVICES:
    raise RuntimeError(f"REQUIRE_SERVICES=1 but PostgreSQL does not answer at {TEST_DATABASE_URL}")
else:
    TEST_DB_VENDOR = "sqlite"
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": str(BASE_DIR / "test-db.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
            # Engineers running the suite side by side each name their own file.
            "TEST": {
                "NAME": os.environ.get("SQLITE_TEST_NAME", str(BASE_DIR / ".test-db.sqlite3"))
            },
        }
    }

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# After commit at once (the suite asserts the follow-up work); the thread is tested on its own.
FLYWHEEL_BACKGROUND_JOBS = "inline"
CELERY_BROKER_URL = "memory://"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
AXES_ENABLED = os.environ.get("AXES_ENABLED_IN_TESTS") == "1"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files come from the app folders through the finders; nothing is collected in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
