"""An ML-BOM upload run by a real Celery worker on a real Redis, and a dead worker's job
queued again by the resume and run by the worker; the counts are NOTES.md's (5 components,
5 links)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from components import bom_jobs
from components.models import BomImportJob, Component, ComponentLink
from components.tasks import bom_import_job_task
from tests import factories
from tests.support.components import api_as, bom_post
from tests.support.jobs import broker, worker_on

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
