"""An ML-BOM upload run by a real Celery worker on a real Redis; a dead worker's job queued
again by the resume and run by the worker; a worker killed (kill -9) in the middle of an
import. The counts are NOTES.md's (5 components, 5 links)."""

import signal
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from components import bom_jobs
from components.models import BomImportJob, Component, ComponentLink
from components.tasks import bom_import_job_task
from tests import factories
from tests.support.components import api_as, bom_post
from tests.support.jobs import broker, spawn_worker, stop, wait_until, worker_env, worker_on

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BOM = (
    Path(__file__).parents[1] / "corpus" / "cyclonedx" / "credit-scoring-mlbom.json"
).read_bytes()


def test_the_worker_checks_then_imports_and_resumes_a_dead_workers_job(redis_url):
    department = factories.DepartmentFactory(name="Credit", slug="credit")
    head = factories.head_of(department, username="credit-head")
    use_case = factories.submitted(department, head, title="Credit scoring")
    name = bom_import_job_task.name
    with broker(redis_url) as app, worker_on(app) as (_, finished):
        answer = bom_post(head, BOM, use_case=use_case.pk, dry_run=True)
        assert answer.status_code == 202
        assert finished.wait_for(name) == ["SUCCESS"]
        job = api_as(head).get(answer["Location"]).json()
        assert (job["status"], job["step"], job["report"]["links_added"]) == ("done", 3, 5)
        assert not Component.objects.exists()
        # An import whose worker was killed after its claim: its transaction rolled back,
        # nothing written, the job held by a run whose hold lapsed a second ago.
        held = BomImportJob.objects.create(
            filename="credit.json", content=BOM, use_case=use_case, created_by=head,
            status="running", step=4, attempt=1,
            claimed_until=timezone.now() - timedelta(seconds=1),
        )  # fmt: skip
        assert bom_jobs.bom_jobs_resume() == [held.pk]
        assert finished.wait_for(name, 2) == ["SUCCESS", "SUCCESS"]
    job = BomImportJob.objects.get(pk=held.pk)
    assert (job.status, job.attempt, job.report["dry_run"]) == ("done", 2, False)
    assert job.report["components"] == {"create": 5, "update": 0, "unchanged": 0}
    assert (Component.objects.count(), ComponentLink.objects.count()) == (5, 5)


def test_a_worker_killed_mid_import_leaves_nothing_and_its_job_is_resumed_once(
    require_postgres, redis_url, tmp_path
):
    """kill -9 of the worker while its import waits inside its transaction: nothing of the
    BOM is written, the job stays held; once the hold lapses, the resume queues it and a new
    worker imports it once."""
    department = factories.DepartmentFactory(name="Credit", slug="credit")
    head = factories.head_of(department, username="credit-head")
    use_case = factories.submitted(department, head, title="Credit scoring")
    name = connection.settings_dict["NAME"]
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    env = worker_env(redis_url)
    # Hold the components table so the import blocks on its first insert: "mid-import".
    blocker = psycopg.connect(dsn)
    blocker.execute("LOCK TABLE components_component IN EXCLUSIVE MODE")
    watcher = psycopg.connect(dsn, autocommit=True)
    first = second = None
    try:
        with broker(redis_url):
            pk = bom_post(head, BOM, use_case=use_case.pk).json()["id"]
        first = spawn_worker(env, tmp_path / "first.log")
        stuck = wait_until(
            lambda: watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
                [name],
            ).fetchone(),
            timeout=180,
            what="the first worker to block inside the import",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        watcher.execute("SELECT pg_terminate_backend(%s)", [stuck[0]])
        blocker.rollback()
        job = BomImportJob.objects.get(pk=pk)
        assert (job.status, job.step, job.attempt) == ("running", 4, 1)
        assert not Component.objects.exists() and not ComponentLink.objects.exists()
        # Held still (a living run would renew it): the resume leaves it.
        assert bom_jobs.bom_jobs_resume() == []
        # The hold lapses (300 s by default; brought forward here).
        BomImportJob.objects.filter(pk=pk).update(
            claimed_until=timezone.now() - timedelta(seconds=1)
        )
        with broker(redis_url):
            assert bom_jobs.bom_jobs_resume() == [pk]
        second = spawn_worker(env, tmp_path / "second.log")
        wait_until(
            lambda: BomImportJob.objects.get(pk=pk).finished,
            timeout=180,
            what="the resumed job to finish",
        )
    finally:
        blocker.close()
        watcher.close()
        for worker in (first, second):
            if worker is not None:
                stop(worker)
    assert first.returncode == -signal.SIGKILL
    job = BomImportJob.objects.get(pk=pk)
    assert (job.status, job.attempt) == ("done", 2), job.error
    assert job.report["components"] == {"create": 5, "update": 0, "unchanged": 0}
    assert (Component.objects.count(), ComponentLink.objects.count()) == (5, 5)
