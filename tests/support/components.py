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
