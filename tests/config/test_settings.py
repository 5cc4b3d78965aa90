"""Configuration: embedded defaults, and production refusing unsafe settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.security import DEFAULT_SECRET_KEY, check_production

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3J!x9@qL2#vB7wN5%mZ8^tR4&yP1*cF6(hD0)sG-_aQ=+eU-r7Tz2Wq"


def settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    """Import the real settings module with only the given environment."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.DATABASES['default'].get('OPTIONS', {}).get('transaction_mode'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_nothing_configured_runs_embedded():
    result = settings_in_subprocess()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["core.db.sqlite", "True", "IMMEDIATE"]


def test_sqlite_named_by_a_url_queues_its_writers_like_the_embedded_default(tmp_path):
    """Without IMMEDIATE transactions the demo load through DATABASE_URL=sqlite:///... failed
    with "database is locked" (the background thread's mail job beside the flag sweep)."""
    result = settings_in_subprocess(DATABASE_URL=f"sqlite:///{tmp_path}/flywheel.sqlite3")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["core.db.sqlite", "True", "IMMEDIATE"]


def test_database_and_broker_urls_select_postgres_and_redis():
    result = settings_in_subprocess(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/flywheel",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "False"]


def test_production_refuses_to_start_with_debug_or_default_key():
    result = settings_in_subprocess(FLYWHEEL_ENV="production", DJANGO_DEBUG="true")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG is on" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_safe_settings():
    result = settings_in_subprocess(
        FLYWHEEL_ENV="production",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="flywheel.example.com",
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("key", "debug", "hosts", "problem"),
    [
        (STRONG_KEY, True, ["x.example"], "DEBUG"),
        (DEFAULT_SECRET_KEY, False, ["x.example"], "SECRET_KEY"),
        ("django-insecure-" + "a1b2c3d4e5" * 5, False, ["x.example"], "SECRET_KEY"),
        ("short-key", False, ["x.example"], "SECRET_KEY"),
        ("a" * 60, False, ["x.example"], "SECRET_KEY"),
        (STRONG_KEY, False, [], "ALLOWED_HOSTS"),
        (STRONG_KEY, False, ["*"], "ALLOWED_HOSTS"),
    ],
)
def test_check_production_names_the_problem(key, debug, hosts, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        check_production(debug=debug, secret_key=key, allowed_hosts=hosts)
