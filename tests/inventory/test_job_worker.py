"""A large file imported by a real Celery worker on a real Redis, its progress on the job."""

import pytest

import inventory.tasks
from inventory.models import ImportJob
from inventory.services import import_job_create, import_job_start
from portfolio.models import TransitionRecord, UseCase
from tests import factories
from tests.support.inventory import USE_CASE, csv_file
from tests.support.jobs import broker, worker_on

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_large_file_is_checked_then_imported_by_the_worker(redis_url, settings):
    settings.INVENTORY_SYNC_BYTES = 1024
    factories.DepartmentFactory(name="Claims", slug="claims")
    admin = factories.administrator(username="importer")
    rows = [{**USE_CASE, "Reference": f"INV-{i:04d}"} for i in range(300)]
    job = import_job_create(actor=admin, content=csv_file(rows), filename="big.csv")
    name = inventory.tasks.inventory_import_job.name
    with broker(redis_url) as app, worker_on(app) as (_, finished):
        job = import_job_start(job=job, apply=False, actor=admin)
        assert job.status == "checking"
        assert finished.wait_for(name) == ["SUCCESS"]
        job.refresh_from_db()
        assert job.status == "checked" and job.percent == 100
        assert job.report["counts"]["use case"]["created"] == 300
        assert not UseCase.objects.exists()
        import_job_start(job=job, apply=True, actor=admin)
        assert finished.wait_for(name, 2) == ["SUCCESS", "SUCCESS"]
    job = ImportJob.objects.get()
    assert job.status == "applied" and job.applied_at is not None
    assert UseCase.objects.count() == 300
    assert TransitionRecord.objects.filter(kind="imported", source_file="big.csv").count() == 600
