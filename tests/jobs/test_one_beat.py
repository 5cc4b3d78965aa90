"""Exactly one beat: celery-redbeat's lock in Redis lets a second beat wait instead of
running every sweep twice; the schedule lives in Redis (no schedule file shared in /tmp);
the visibility timeout outlasts every task's time limit (a running job is never handed to a
second worker)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings

import governance.tasks  # noqa: F401  (registers its tasks)
import portfolio.tasks  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent.parent


def beat(redis_url: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": redis_url,
        "SQLITE_PATH": str(log.with_suffix(".sqlite3")),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def test_a_second_beat_waits_for_the_lock(redis_url, tmp_path):
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    beats = [beat(redis_url, logs[0])]
    try:
        deadline = time.monotonic() + 40
        while "beat: Acquired lock" not in logs[0].read_text():
            assert time.monotonic() < deadline, logs[0].read_text()[-2000:]
            time.sleep(0.2)
        beats.append(beat(redis_url, logs[1]))
        time.sleep(8)  # ample time for a second beat to start and take the lock

        assert beats[1].poll() is None  # alive, waiting
        assert "beat: Acquired lock" not in logs[1].read_text()
    finally:
        for process in beats:
            process.terminate()
        for process in beats:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_the_beat_keeps_its_schedule_in_redis_not_in_a_shared_file():
    assert settings.CELERY_BEAT_SCHEDULER == "redbeat.RedBeatScheduler"
    serve = (ROOT / "console/management/commands/serve.py").read_text()
    assert "/tmp" not in serve


def test_the_visibility_timeout_just_outlasts_every_late_acknowledged_task():
    tasks = {
        name: task
        for name, task in current_app.tasks.items()
        if name.startswith(("portfolio.", "governance.", "gates.", "compliance.", "console."))
    }
    late = {
        name: task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in tasks.items()
        if task.acks_late is not False
    }
    early = {name for name, task in tasks.items() if task.acks_late is False}
    assert len(late) >= 5
    # Every late-acknowledged task is killed (360 s) before its message is redelivered
    # (420 s): a running task is never handed to a second worker, and a killed worker's
    # work waits 7 minutes, not an hour.
    assert max(late.values()) == settings.LONGEST_TASK_TIME_LIMIT == 360
    assert settings.VISIBILITY_TIMEOUT == 420
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 420
    # The long sweeps are acknowledged on receipt (the schedule runs them again).
    assert early == {
        "portfolio.tasks.velocity_recompute_all",
        "portfolio.tasks.flags_sweep_all",
        "governance.tasks.watch_sweep",
    }
    assert all(tasks[name].time_limit == 1900 for name in early)
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1 and settings.CELERY_TASK_ACKS_LATE


def test_a_visibility_timeout_below_the_limits_refuses_to_start():
    env = {**os.environ, "CELERY_VISIBILITY_TIMEOUT": "360"}
    env.pop("CELERY_VISIBILITY_TIMEOUT_BELOW_LIMITS", None)
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "must exceed the longest task time limit (360 s)" in result.stderr


pytestmark = pytest.mark.services
