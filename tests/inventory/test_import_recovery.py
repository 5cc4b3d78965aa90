"""An import job survives a dead worker and a message delivered twice: the task is
acknowledged on receipt (it may run past the broker's visibility timeout), a run holds the
job with a lease its progress renews, and the resume queues again a job whose hold lapsed.
Each run of the same job, whatever the number, leaves the import applied once."""

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from celery import current_app
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from inventory.models import ImportJob
from inventory.services import import_job_create, import_job_run, import_jobs_resume
from inventory.tasks import inventory_import_job
from portfolio.models import TransitionRecord, UseCase
from tests.support.inventory import USE_CASE, csv_file

ROWS = [{**USE_CASE, "Reference": f"INV-{i}"} for i in range(3)]


def test_no_late_acknowledged_task_outlives_the_visibility_timeout():
    for config in apps.get_app_configs():
        if (Path(config.path) / "tasks.py").is_file():
            importlib.import_module(f"{config.name}.tasks")
    ours = {n: t for n, t in current_app.tasks.items() if not n.startswith("celery.")}
    limits = {n: t.time_limit or settings.CELERY_TASK_TIME_LIMIT for n, t in ours.items()}
    late = {n: limits[n] for n, t in ours.items() if t.acks_late is not False}
    assert "inventory.tasks.inventory_import_job" in ours and len(late) >= 10
    # Every late-acknowledged task is killed before its message is handed to a second worker.
    assert {n: s for n, s in late.items() if s >= settings.VISIBILITY_TIMEOUT} == {}
    # The import may run an hour: acknowledged on receipt, its limits its own.
    task = ours["inventory.tasks.inventory_import_job"]
    assert task.acks_late is False and (task.soft_time_limit, task.time_limit) == (3600, 3700)
    assert limits["inventory.tasks.import_jobs_resume"] < settings.VISIBILITY_TIMEOUT
    schedule = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "inventory.tasks.import_jobs_resume" in schedule


def held(job: ImportJob, *, status: str, until) -> None:
    """The job as a run left it that holds it until ``until`` (in the past: its worker died)."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, stage="writing use cases", claimed_until=until
    )


@pytest.fixture
def job(db, importer, claims):
    return import_job_create(actor=importer, content=csv_file(ROWS), filename="held.csv")


def test_a_run_while_another_holds_the_job_does_nothing(job):
    now = timezone.now()
    held(job, status="checking", until=now + timedelta(seconds=1))
    assert import_job_run(job_id=job.pk, apply=False).report == {}
    job.refresh_from_db()
    assert (job.status, job.stage) == ("checking", "writing use cases")
    # The hold lapsed a second ago: the worker died; a run checks the file again.
    held(job, status="checking", until=now - timedelta(seconds=1))
    job = import_job_run(job_id=job.pk, apply=False)
    assert job.status == "checked" and job.claimed_until is None
    assert job.report["counts"]["use case"]["created"] == 3
    # A late duplicate of the message finds the job done and leaves it.
    assert import_job_run(job_id=job.pk, apply=False).report == job.report


def test_a_dead_workers_import_is_resumed_and_applied_once(job, django_capture_on_commit_callbacks):
    now = timezone.now()
    held(job, status="applying", until=now + timedelta(seconds=60))
    # Held one minute more: a living run, left alone.
    assert import_jobs_resume() == []
    held(job, status="applying", until=now - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_resume() == [job.pk]
    job.refresh_from_db()
    assert job.status == "applied" and job.claimed_until is None
    assert UseCase.objects.count() == 3
    records = TransitionRecord.objects.count()
    # The message delivered again, and the resume run again: nothing more is written.
    assert inventory_import_job(job_id=job.pk, apply=True)["status"] == "applied"
    assert import_jobs_resume() == []
    assert UseCase.objects.count() == 3 and TransitionRecord.objects.count() == records
