"""The ML-BOM upload outside the admin: a department head uploads for one of their use cases
from its page, follows the job's page (reloading itself until done) to the dry run, imports
it from there; someone else's job is a 404, an administrator sees every job; an invalid BOM
shows the validator's message and path, in the uploader's language; the page works with the
embedded background thread. Counts: tests/corpus/cyclonedx/NOTES.md (5 components, 5 links)."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from components.models import BomImportJob, Component, ComponentLink
from core import background
from portfolio.services.people import profile_language_set
from tests import factories
from tests.support.components import bom_page_followed

CORPUS = Path(__file__).parents[1] / "corpus" / "cyclonedx"
BOM = (CORPUS / "credit-scoring-mlbom.json").read_bytes()
BROKEN = (CORPUS / "invalid-data-type.json").read_bytes()


def upload(content: bytes = BOM):
    return SimpleUploadedFile("credit.json", content, content_type="application/json")


@pytest.fixture
def published(department, head):
    return factories.submitted(department, head, title="Credit scoring")


def test_a_head_uploads_from_the_use_case_and_follows_the_job_to_done(client, published, head):
    client.force_login(head)
    use_case_page = client.get(f"/use-cases/{published.pk}/").content.decode()
    assert f'href="/use-cases/{published.pk}/import-bom/">Import an ML-BOM</a>' in use_case_page
    form = client.get(f"/use-cases/{published.pk}/import-bom/")
    assert form.status_code == 200 and 'name="dry_run"' in form.content.decode()

    answer = client.post(
        f"/use-cases/{published.pk}/import-bom/", {"file": upload(), "dry_run": "on"}
    )
    job = BomImportJob.objects.get()
    assert (job.use_case, job.dry_run, job.created_by) == (published, True, head)
    again = bom_page_followed(client, answer, "/boms/")
    assert (again.status, again.dry_run, bytes(again.content)) == ("done", False, BOM)
    assert (Component.objects.count(), ComponentLink.objects.count()) == (5, 5)
    assert "Imported" in client.get(f"/boms/{again.pk}/").content.decode()
    # Only a finished dry run is imported from its page.
    assert client.post(f"/boms/{again.pk}/import/").status_code == 403


def test_someone_elses_job_is_not_found_an_administrator_sees_it(
    client, published, head, other_head, admin_user
):
    client.force_login(head)
    client.post(f"/use-cases/{published.pk}/import-bom/", {"file": upload(), "dry_run": "on"})
    job = BomImportJob.objects.get()
    client.force_login(other_head)
    assert client.get(f"/boms/{job.pk}/").status_code == 404
    assert client.post(f"/boms/{job.pk}/import/").status_code == 404
    # The other department's head may not upload for this use case.
    assert (
        client.post(f"/use-cases/{published.pk}/import-bom/", {"file": upload()}).status_code == 403
    )
    assert "Import an ML-BOM" not in client.get(f"/use-cases/{published.pk}/").content.decode()
    client.force_login(admin_user)
    assert client.get(f"/boms/{job.pk}/").status_code == 200
    assert client.get(f"/boms/{job.pk + 1}/").status_code == 404


def test_an_invalid_bom_shows_the_validators_message_and_path(client, published, head):
    client.force_login(head)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(f"/use-cases/{published.pk}/import-bom/", {"file": upload(BROKEN)})
    page = client.get(answer["Location"]).content.decode()
    assert "Not a valid CycloneDX ML-BOM" in page
    assert "&#x27;spreadsheet&#x27; is not one of" in page
    assert "<code>$.components[1].data[0].type</code>" in page


def test_a_german_speaking_uploaders_job_reads_in_german(client, published, head):
    profile_language_set(user=head, language="de")
    client.force_login(head)
    document = json.loads(BOM)
    del document["serialNumber"]
    no_serial = json.dumps(document).encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(f"/use-cases/{published.pk}/import-bom/", {"file": upload(no_serial)})
    job = BomImportJob.objects.get()
    assert (job.language, job.status) == ("de", "invalid")
    # Written by the worker (no request, default language English) in the uploader's language.
    assert job.error["message"] == "Die Eingabe ist ungültig."
    # "A serialNumber is needed to import idempotently", as locale/de translates it.
    assert job.error["validator_message"].startswith("Für einen wiederholbaren Import")
    assert job.error["fields"]["file"][0].endswith("(bei $.serialNumber)")
    page = client.get(answer["Location"]).content.decode()
    assert "Für einen wiederholbaren Import" in page and "<code>$.serialNumber</code>" in page


@pytest.mark.django_db(transaction=True)
@override_settings(CELERY_TASK_ALWAYS_EAGER=True, FLYWHEEL_BACKGROUND_JOBS="thread")
def test_the_page_works_with_the_embedded_background_thread(client, published, head):
    client.force_login(head)
    answer = client.post(
        f"/use-cases/{published.pk}/import-bom/", {"file": upload(), "dry_run": "on"}
    )
    assert answer.status_code == 302
    assert background.background_drain(timeout=30)
    done = client.get(answer["Location"]).content.decode()
    assert "Dry run: nothing was written" in done and "5 to create" in done
    assert 'http-equiv="refresh"' not in done
