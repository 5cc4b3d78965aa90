"""Embedded mode: follow-up work runs on a background thread after commit (the request does
not wait for it, and its failure never reaches the person), the same job waiting twice runs
once, and the beat schedule runs on that thread without a beat."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from celery import shared_task
from celery.schedules import schedule
from django.test import override_settings

from core import background, jobs
from portfolio.models import Department

pytestmark = pytest.mark.django_db(transaction=True)

THREADED = {"CELERY_TASK_ALWAYS_EAGER": True, "FLYWHEEL_BACKGROUND_JOBS": "thread"}
calls: list = []


@shared_task(name="tests.core.record")
def record(value: str) -> None:
    time.sleep(0.3)
    calls.append(value)


@shared_task(name="tests.core.fail")
def fail() -> None:
    raise RuntimeError("a job that breaks")


@shared_task(name="tests.core.department")
def department_name(department_id: int) -> None:
    calls.append(Department.objects.get(pk=department_id).name)


@pytest.fixture(autouse=True)
def clean():
    calls.clear()
    yield
    background.background_drain(timeout=10)
    calls.clear()


@override_settings(**THREADED)
def test_the_request_does_not_wait_for_the_work_it_enqueued():
    started = time.monotonic()
    jobs.enqueue_on_commit(record, value="a")
    returned_after = time.monotonic() - started

    assert calls == []
    assert returned_after < 0.3
    assert background.background_drain(timeout=10)
    assert calls == ["a"]


@override_settings(**THREADED)
def test_the_job_sees_what_was_committed_and_runs_after_the_commit(client):
    from django.db import transaction

    with transaction.atomic():
        department = Department.objects.create(name="Claims", slug="claims")
        jobs.enqueue_on_commit(department_name, department_id=department.pk)
        assert background.background_drain(timeout=1)  # nothing queued before the commit
        assert calls == []
    assert background.background_drain(timeout=10)
    assert calls == ["Claims"]


@override_settings(**THREADED)
def test_a_failing_job_is_counted_and_logged_not_raised(caplog):
    before = background.background_counts()["failures"]

    jobs.enqueue_on_commit(fail)

    assert background.background_drain(timeout=10)
    assert background.background_counts()["failures"] == before + 1
    assert "background job tests.core.fail({}) failed" in caplog.text


@override_settings(**THREADED)
def test_the_same_job_waiting_twice_is_queued_once():
    jobs.enqueue_on_commit(record, value="slow")  # occupies the thread
    time.sleep(0.1)
    for _ in range(5):
        jobs.enqueue_on_commit(record, value="same")

    assert background.background_drain(timeout=10)
    assert calls == ["slow", "same"]


@override_settings(
    **THREADED,
    CELERY_BEAT_SCHEDULE={
        "every-minute": {
            "task": "tests.core.record",
            "schedule": schedule(60),
            "kwargs": {"value": "tick"},
        }
    },
)
def test_the_beat_schedule_runs_in_process_when_due():
    background._last_runs.clear()

    first = background.schedule_tick()  # the first tick starts the clock
    background._last_runs["every-minute"] = datetime.now(UTC) - timedelta(seconds=61)
    due = background.schedule_tick()

    assert first == []
    assert due == ["every-minute"]
    assert background.background_drain(timeout=10)
    assert calls == ["tick"]


@override_settings(CELERY_TASK_ALWAYS_EAGER=True, FLYWHEEL_BACKGROUND_JOBS="inline")
def test_inline_mode_runs_after_commit_and_still_never_raises(caplog):
    jobs.enqueue_on_commit(fail)
    jobs.enqueue_on_commit(record, value="after")

    assert calls == ["after"]
    assert "a job that breaks" in caplog.text


HOLD_THE_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "a")
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_one_process_of_an_instance_runs_the_schedule(tmp_path, monkeypatch):
    """gunicorn's web processes each have the thread: the one holding the instance's lock
    ticks; when its process ends, the next to ask takes the schedule over."""
    import subprocess
    import sys

    path = tmp_path / "schedule.lock"
    monkeypatch.setattr(background, "_schedule_lock", None)
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline().strip() == "held"
        assert background.schedule_holder(path) is False
        assert background.schedule_holder(path) is False  # still another's
    finally:
        other.kill()
        other.wait()
    assert background.schedule_holder(path) is True
    assert background.schedule_holder(path) is True  # kept for the process's life
    background._schedule_lock.close()


def test_the_lock_is_one_per_database(settings):
    ours = settings.DATABASES["default"]
    assert background.schedule_lock_path() == background.schedule_lock_path(dict(ours))
    assert background.schedule_lock_path() != background.schedule_lock_path(
        {**ours, "NAME": f"{ours['NAME']}-another"}
    )
