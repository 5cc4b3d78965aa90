"""Every way in: the management command, the API for scripts, the admin, the Celery job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from inventory.models import ImportJob
from portfolio.models import UseCase
from portfolio.services.people import profile_language_set
from tests import factories
from tests.support.inventory import FILE, USE_CASE, csv_file, upload


@pytest.fixture
def inventory_path(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(csv_file(FILE))
    return path


def test_command_dry_run_shows_the_mapping_and_writes_nothing(
    importer, claims, inventory_path, capsys
):
    call_command("import_inventory", str(inventory_path), "--dry-run", "--user", "importer")
    out = capsys.readouterr().out
    assert "Data existing -> Data existing" in out
    assert "use case: 1 created" in out and "Dry run: nothing was written" in out
    assert not UseCase.objects.exists()


def test_command_imports_and_fails_loudly_on_errors(
    importer, claims, inventory_path, tmp_path, capsys
):
    call_command("import_inventory", str(inventory_path), "--user", "importer")
    assert UseCase.objects.get().transitions.first().source_file == "inventory.csv"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file([{**USE_CASE, "Reference": "INV-2", "Department": "Nowhere"}]))
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_inventory", str(bad), "--user", "importer")
    assert "row 2, column 'Department': No department 'Nowhere'" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No file"):
        call_command("import_inventory", str(tmp_path / "missing.csv"), "--user", "importer")


def test_command_needs_an_administrator(claims, inventory_path):
    factories.UserFactory(username="someone")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_inventory", str(inventory_path))
    with pytest.raises(Exception, match="administrators"):
        call_command("import_inventory", str(inventory_path), "--user", "someone")


@pytest.fixture
def api(importer):
    client = APIClient()
    client.force_authenticate(importer)
    return client


def test_api_dry_run_then_apply(api, claims):
    response = upload(api, csv_file(FILE))
    assert response.status_code == 200, response.json()
    job = response.json()
    assert job["status"] == "checked" and job["report"]["counts"]["use case"]["created"] == 1
    assert not UseCase.objects.exists()
    applied = api.post(f"/api/inventory/imports/{job['id']}/apply/")
    assert applied.status_code == 201 and applied.json()["status"] == "applied"
    assert UseCase.objects.count() == 1
    again = api.post(f"/api/inventory/imports/{job['id']}/apply/")
    assert again.status_code == 409 and again.json()["code"] == "import_not_allowed"


def test_api_import_in_one_call_and_refusals(api, claims):
    assert upload(api, csv_file(FILE), dry_run="false").status_code == 201
    bad = upload(
        api, csv_file([{**USE_CASE, "Reference": "X", "Pilot": "2023-01-01"}]), dry_run="false"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "import_refused"
    assert bad.json()["job"]["report"]["errors"][0]["column"] == "Pilot"
    empty = upload(api, b"")
    assert (empty.status_code, empty.json()["code"]) == (400, "empty_file")
    missing = api.post("/api/inventory/imports/", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["fields"]


def test_api_is_for_administrators(claims, department):
    head = factories.head_of(claims)
    client = APIClient()
    assert upload(client, csv_file(FILE)).status_code == 401
    client.force_authenticate(head)
    assert upload(client, csv_file(FILE)).status_code == 403
    assert client.get("/api/inventory/export/").status_code == 403


def test_api_large_file_runs_as_a_job_with_progress(
    api, claims, settings, django_capture_on_commit_callbacks
):
    settings.INVENTORY_SYNC_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(api, csv_file(FILE), dry_run="false")
    assert response.status_code == 202 and response.json()["status"] == "applying"
    job_id = response.json()["id"]
    assert not UseCase.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    status = api.get(f"/api/inventory/imports/{job_id}/").json()
    assert (status["status"], status["percent"]) == ("applied", 100)
    assert UseCase.objects.count() == 1


def test_api_export_and_template_download(api, claims):
    upload(api, csv_file(FILE), dry_run="false")
    export = api.get("/api/inventory/export/?file_format=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    exported = b"".join(export.streaming_content)
    assert b"INV-1" in exported
    template = api.get("/api/inventory/template/")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert api.get("/api/inventory/export/?file_format=pdf").status_code == 400
    reimport = upload(api, exported, name="export.csv")
    assert {r["status"] for r in reimport.json()["report"]["rows"]} == {"unchanged"}


def test_admin_upload_dry_run_and_confirm(client, importer, claims):
    client.force_login(importer)
    page = client.get("/admin/inventory/importjob/add/")
    assert page.status_code == 200 and b"Also recognised as" in page.content
    response = client.post(
        "/admin/inventory/importjob/add/",
        {"file": SimpleUploadedFile("inventory.csv", csv_file(FILE)), "create_people": "on"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{job.pk}/change/")
    report = client.get(response.url)
    assert (
        b"What the import would do" in report.content
        and b"Confirm: import this file" in report.content
    )
    assert not UseCase.objects.exists()
    confirmed = client.post(f"/admin/inventory/importjob/{job.pk}/apply/", follow=True)
    assert b"Imported." in confirmed.content and UseCase.objects.count() == 1
    progress = client.get(f"/admin/inventory/importjob/{job.pk}/progress/").json()
    assert progress["status"] == "applied" and progress["percent"] == 100
    assert client.get("/admin/inventory/importjob/template/csv/")["Content-Type"].startswith(
        "text/csv"
    )
    admin_export = client.get("/admin/inventory/importjob/export/xlsx/")
    assert b"".join(admin_export.streaming_content)[:2] == b"PK"


def test_admin_report_in_the_importers_language(client, importer, claims):
    profile_language_set(user=importer, language="de")
    client.force_login(importer)
    response = client.post(
        "/admin/inventory/importjob/add/", {"file": SimpleUploadedFile("i.csv", csv_file(FILE))}
    )
    page = client.get(response.url).content.decode()
    for german in ("Was der Import tun würde", "Bestätigen: diese Datei importieren", "Zeilen"):
        assert german in page
    assert "What the import would do" not in page and "Confirm: import" not in page


def test_admin_shows_row_errors_and_offers_no_confirm(client, importer, claims):
    client.force_login(importer)
    bad = csv_file([{**USE_CASE, "Department": "Nowhere"}])
    response = client.post(
        "/admin/inventory/importjob/add/", {"file": SimpleUploadedFile("b.csv", bad)}
    )
    page = client.get(response.url)
    assert b"No department" in page.content and b"Confirm: import" not in page.content


def test_admin_is_for_administrators_only(client, claims):
    staff = factories.UserFactory(username="staff", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/inventory/importjob/add/").status_code == 403
    assert client.get("/admin/inventory/importjob/template/csv/").status_code == 403


def test_imported_history_says_so_on_the_use_case_page_and_in_the_api(
    api, client, importer, claims
):
    upload(api, csv_file(FILE), name="legacy.csv", dry_run="false")
    use_case = UseCase.objects.get()
    records = api.get(f"/api/transitions/?use_case_id={use_case.pk}").json()["results"]
    assert {(r["kind"], r["source_file"], r["authorisation_id"]) for r in records} == {
        ("imported", "legacy.csv", None)
    }
    client.force_login(importer)
    page = client.get(f"/admin/flywheel/use-cases/{use_case.pk}/")
    assert page.status_code == 200 and b"(imported from legacy.csv)" in page.content
