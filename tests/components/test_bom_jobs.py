"""An ML-BOM upload runs as a job: 202 and the job's address, its page reloading itself until
done, strict errors on its address, a second delivery that does nothing, a dead worker's job
resumed and imported once; the expected counts are those of tests/corpus/cyclonedx/NOTES.md
(5 components: 2 suppliers, 1 model, 2 datasets; 5 links)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from components import bom_jobs
from components.models import BomImportJob, Component, ComponentLink
from components.tasks import bom_import_job_task
from tests import factories
from tests.support.components import api_as, bom_page_followed, bom_post, upload_bom

CORPUS = Path(__file__).parents[1] / "corpus" / "cyclonedx"
BOM = (CORPUS / "credit-scoring-mlbom.json").read_bytes()
PAGE = "/admin/components/component/import-bom/"


@pytest.fixture
def published(department, head):
    return factories.submitted(department, head, title="Credit scoring")


def test_the_upload_answers_202_before_the_job_runs(published, head):
    answer = bom_post(head, BOM, use_case=published.pk, dry_run=True)
    assert answer.status_code == 202
    job = answer.json()
    assert (job["status"], job["step"], job["steps"], job["report"]) == ("queued", 0, 4, {})
    assert job["url"] == f"/api/boms/{job['id']}/" == answer["Location"]
    assert job["page"] == f"/boms/{job['id']}/"
    # Stored, not yet read: nothing checked, nothing written.
    stored = BomImportJob.objects.get()
    assert bytes(stored.content) == BOM and stored.created_by == head
    assert not Component.objects.exists()


def test_unknown_and_someone_elses_job_are_not_found(published, head, other_head, admin_user):
    job = upload_bom(head, BOM, use_case=published.pk, dry_run=True)
    assert api_as(other_head).get(job["url"]).status_code == 404
    assert api_as(head).get(f"/api/boms/{job['id'] + 1}/").json()["code"] == "not_found"
    # An administrator sees every job.
    assert api_as(admin_user).get(job["url"]).json()["status"] == "done"


def test_an_upload_refused_at_once_leaves_no_job(published, other_head, executive):
    # The other department's head may not link to this use case; an executive imports nothing.
    assert bom_post(other_head, BOM, use_case=published.pk).status_code == 403
    assert bom_post(executive, BOM).status_code == 403
    answer = bom_post(other_head, BOM, dry_run="maybe")
    assert answer.status_code == 400 and list(answer.json()["fields"]) == ["dry_run"]
    assert not BomImportJob.objects.exists()


def _counts():
    return Component.objects.count(), ComponentLink.objects.count(), Component.history.count()


def test_a_second_delivery_does_nothing(published, head):
    job = upload_bom(head, BOM, use_case=published.pk)
    assert (job["status"], job["report"]["components"]["create"]) == ("done", 5)
    assert _counts() == (5, 5, 5)
    # The same message again: the job is done, no run claims it.
    assert bom_import_job_task(job_id=job["id"]) == {"status": "done", "attempt": 1}
    assert _counts() == (5, 5, 5)


def held(job_id: int, *, until, attempt: int = 1) -> None:
    """The job as a run left it that holds it until ``until`` (past: its worker died)."""
    BomImportJob.objects.filter(pk=job_id).update(
        status="running", step=4, stage=bom_jobs.STEPS[3], claimed_until=until, attempt=attempt
    )


def test_a_dead_workers_job_is_resumed_and_imported_once(published, head):
    answer = bom_post(head, BOM, use_case=published.pk)  # its message lost: no commit run
    pk = answer.json()["id"]
    now = timezone.now()
    held(pk, until=now + timedelta(seconds=60))
    # Held one minute more: a living run, left alone by the resume and by a duplicate.
    assert bom_jobs.bom_jobs_resume() == []
    assert bom_import_job_task(job_id=pk)["status"] == "running"
    assert _counts() == (0, 0, 0)
    held(pk, until=now - timedelta(seconds=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert bom_jobs.bom_jobs_resume() == [pk]
    job = BomImportJob.objects.get(pk=pk)
    assert (job.status, job.attempt, job.claimed_until) == ("done", 2, None)
    assert job.report["components"] == {"create": 5, "update": 0, "unchanged": 0}
    assert _counts() == (5, 5, 5)
    assert bom_jobs.bom_jobs_resume() == []
    assert bom_import_job_task(job_id=pk)["status"] == "done"
    assert _counts() == (5, 5, 5)


def test_a_run_that_lost_its_job_writes_nothing(published, head, monkeypatch):
    """The first run stalls past its hold while a resumed run imports the BOM: when it wakes,
    its import is rolled back and the job stays as the second run left it."""
    pk = bom_post(head, BOM, use_case=published.pk).json()["id"]
    parse = bom_jobs.bom.bom_parse

    def stalled(raw):
        document = parse(raw)
        # Meanwhile the hold lapsed and a resumed run did the work (attempt 2).
        monkeypatch.setattr(bom_jobs.bom, "bom_parse", parse)
        held(pk, until=timezone.now() - timedelta(seconds=1))
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert bom_jobs.bom_jobs_resume() == [pk]
        return document

    monkeypatch.setattr(bom_jobs.bom, "bom_parse", stalled)
    job = bom_jobs.bom_job_run(job_id=pk)
    # The job is as the second run left it: its report (5 created), not the stalled run's
    # (which would have found all 5 unchanged).
    assert (job.status, job.attempt) == ("done", 2)
    assert job.report["components"] == {"create": 5, "update": 0, "unchanged": 0}
    assert _counts() == (5, 5, 5)


def test_the_resume_is_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "components.tasks.bom_jobs_resume" in tasks
    task = bom_import_job_task
    assert task.acks_late is False and (task.soft_time_limit, task.time_limit) == (3600, 3700)


def test_the_page_reloads_itself_until_the_dry_run_is_done(admin_client, published, admin_user):
    answer = admin_client.post(
        PAGE, {"file": bom_upload(), "use_case": published.pk, "dry_run": "on"}
    )
    again = bom_page_followed(admin_client, answer, PAGE)
    assert (again.status, again.dry_run, bytes(again.content)) == ("done", False, BOM)
    assert _counts() == (5, 5, 5)
    # Only a finished dry run is imported from its page.
    assert admin_client.post(f"{PAGE}{again.pk}/import/").status_code == 403
    assert admin_client.get(f"{PAGE}{again.pk + 1}/").status_code == 404


def test_someone_elses_job_page_is_not_found(client, admin_user, executive):
    job = bom_jobs.bom_job_create(actor=admin_user, content=BOM, filename="credit.json")
    # An executive reaches the admin (staff) but sees only the jobs they uploaded: none.
    executive.is_staff = True
    executive.save(update_fields=["is_staff"])
    client.force_login(executive)
    assert client.get(f"{PAGE}{job.pk}/").status_code == 404
    assert client.post(f"{PAGE}{job.pk}/import/").status_code == 404


def test_the_page_shows_the_validators_message_and_path(admin_client):
    broken = (CORPUS / "invalid-data-type.json").read_bytes()
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = admin_client.post(PAGE, {"file": bom_upload(broken)})
    page = admin_client.get(answer["Location"]).content.decode()
    assert "Not a valid CycloneDX ML-BOM" in page
    assert "&#x27;spreadsheet&#x27; is not one of" in page
    assert "<code>$.components[1].data[0].type</code>" in page


def bom_upload(content: bytes = BOM):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("credit.json", content, content_type="application/json")
