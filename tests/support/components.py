"""The components tests' helpers: an API client acting as a person, and an incident reported
through the service."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from components import services

DAY = dt.timedelta(days=1)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def report_incident(use_case, actor, *, ago=DAY, title="Outage", **fields):
    """An incident reported through the service: aware ``ago`` before now (or at
    ``aware_at``), occurred at the same moment unless told."""
    aware = fields.pop("aware_at", None) or timezone.now() - ago
    fields.setdefault("occurred_at", aware)
    return services.incident_report(
        actor=actor, use_case=use_case, title=title, aware_at=aware, **fields
    )


def bom_post(user, content: bytes, name: str = "bom.json", **fields):
    """The API's answer to an ML-BOM upload (the job's run waits for the commit)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="application/json")
    return api_as(user).post("/api/boms/", {"file": upload, **fields}, format="multipart")


def upload_bom(user, content: bytes, name: str = "bom.json", **fields) -> dict:
    """An ML-BOM uploaded through the API: 202 with the job's address, the job run at
    commit (inline in the tests, as the embedded default's background thread would), then
    the job as its address answers."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = bom_post(user, content, name, **fields)
    assert answer.status_code == 202, answer.json()
    assert answer["Location"] == answer.json()["url"]
    job = api_as(user).get(answer["Location"])
    assert job.status_code == 200, job.json()
    return job.json()


def bom_page_followed(client, answer, page: str):
    """Follow an upload's answer (a redirect to its job's page under ``page``) from the page
    that reloads itself to the finished dry run (nothing written), then "Import this BOM
    now" from it: the import's job, run at commit."""
    from django.test import TestCase

    from components import bom_jobs
    from components.models import BomImportJob, Component

    job = BomImportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"{page}{job.pk}/"
    waiting = client.get(answer["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert "This page reloads itself every 2 seconds" in waiting
    with TestCase.captureOnCommitCallbacks(execute=True):
        bom_jobs.BOM_JOB.enqueue_on_commit(job_id=job.pk)
    done = client.get(answer["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert "Dry run: nothing was written" in done and "5 to create" in done
    assert not Component.objects.exists()
    # A new job on the same document, no re-upload.
    with TestCase.captureOnCommitCallbacks(execute=True):
        imported = client.post(f"{page}{job.pk}/import/")
    again = BomImportJob.objects.exclude(pk=job.pk).get()
    assert imported["Location"] == f"{page}{again.pk}/"
    assert (again.dry_run, bytes(again.content)) == (False, bytes(job.content))
    return again
