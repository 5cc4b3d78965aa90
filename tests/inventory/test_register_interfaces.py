"""A PMO's own register through every way in: the API, the admin's mapping page and the
management command find its sheet and header row, show each column with its samples and
suggested field, take the person's changes, keep a confirmed mapping by name, and apply the
same rules as the rest of the API."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from inventory.models import ImportJob, ImportMapping
from portfolio.models import Metric, UseCase
from tests import factories
from tests.support.inventory import CORPUS, csv_file

TITLE_ROWS = "01-title-rows.xlsx"


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_authenticate(cast)
    return client


def upload(client, name, **data):
    content = (CORPUS / name).read_bytes()
    return client.post(
        "/api/inventory/imports/",
        {"file": SimpleUploadedFile(name, content), **data},
        format="multipart",
    )


def upload_lines(client, name, lines):
    """A CSV written as the register's lines, uploaded for a dry run."""
    content = "\r\n".join(lines).encode()
    return client.post(
        "/api/inventory/imports/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def fields_of(report) -> dict:
    return {m["column"]: m["field"] for m in report["mapping"]}


def test_api_finds_the_register_shows_the_mapping_takes_a_change_and_keeps_it(api):
    first = upload(api, TITLE_ROWS)
    assert first.status_code == 200
    report = first.json()["report"]
    assert (report["sheet"], report["header_row"], report["sheet_how"]) == (
        "Register", 4, "found"
    )  # fmt: skip
    assert [r["row"] for r in report["rows_above_header"]] == [1, 2]
    column = next(m for m in report["mapping"] if m["column"] == "Initiative ID")
    assert (column["letter"], column["field"], column["samples"]) == (
        "A", "reference", ["AI-001", "AI-002", "AI-003"]
    )  # fmt: skip
    benefit = next(m for m in report["mapping"] if m["column"] == "Est. Annual Benefit")
    assert (benefit["field"], benefit["content"]) == ("expected_benefit_yearly", "money")

    # The person says the benefit column is the realised benefit, and ignores the status.
    job_id = first.json()["id"]
    changed = api.post(
        f"/api/inventory/imports/{job_id}/mapping/",
        {"mapping": {"Est. Annual Benefit": "realised_benefit_yearly", "I": ""},
         "save_mapping_as": "Acme register"},
        format="json",
    )  # fmt: skip
    assert changed.status_code == 200, changed.json()
    after = changed.json()["report"]
    assert fields_of(after)["Est. Annual Benefit"] == "realised_benefit_yearly"
    assert fields_of(after)["Status"] is None
    assert after["ignored"] == [
        {"column": "Status", "letter": "I", "cells": 3, "why": "not mapped"}
    ]
    saved = api.get("/api/inventory/mappings/").json()
    assert [m["name"] for m in saved] == ["Acme register"]
    assert saved[0]["columns"]["Est. Annual Benefit"] == "realised_benefit_yearly"
    assert (saved[0]["sheet"], saved[0]["header_row"]) == ("Register", 4)

    # The next import of the same register starts from the saved mapping, and applies.
    again = upload(api, TITLE_ROWS, mapping_name="Acme register", dry_run="false")
    assert again.status_code == 201, again.json()
    assert fields_of(again.json()["report"])["Est. Annual Benefit"] == "realised_benefit_yearly"
    ai1 = UseCase.objects.get(external_reference="AI-001")
    assert ai1.realised_benefit_yearly == 75000 and ai1.expected_benefit_yearly is None


def test_api_refuses_a_mapping_it_cannot_use_per_field_and_after_the_import(api):
    job_id = upload(api, TITLE_ROWS).json()["id"]
    bad = api.post(
        f"/api/inventory/imports/{job_id}/mapping/", {"mapping": {"A": "colour"}}, format="json"
    )
    assert bad.status_code == 400 and "mapping" in bad.json()["fields"]
    order = api.post(
        f"/api/inventory/imports/{job_id}/mapping/", {"date_orders": {"F": "ymd"}}, format="json"
    )
    assert order.status_code == 400 and "date_orders" in order.json()["fields"]
    missing = api.post(
        f"/api/inventory/imports/{job_id}/mapping/", {"mapping": {"Nope": "title"}}, format="json"
    )
    assert missing.status_code == 200
    assert [(e["code"], e["message"]) for e in missing.json()["report"]["errors"]] == [
        ("invalid_mapping", "The file has no column 'Nope'.")
    ]
    # A mapping given replaces the one before: the suggestions again.
    reset = api.post(f"/api/inventory/imports/{job_id}/mapping/", {"mapping": {}}, format="json")
    assert reset.json()["report"]["errors"] == []
    assert api.post(f"/api/inventory/imports/{job_id}/apply/").status_code == 201
    late = api.post(f"/api/inventory/imports/{job_id}/mapping/", {}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "import_not_allowed"
    assert api.post("/api/inventory/imports/999999/mapping/", {}, format="json").status_code == (
        404
    )


def test_api_another_sheet_or_header_row_on_request_and_unknown_ones_refused(api):
    tabs = upload(api, "02-several-tabs.xlsx").json()["report"]
    assert tabs["sheet"] == "Register"
    assert {s["name"]: s["hidden"] for s in tabs["sheets"]} == {
        "Read me": False, "Register": False, "Lists": False, "Archive 2023": True
    }  # fmt: skip
    archive = upload(api, "02-several-tabs.xlsx", sheet="Archive 2023").json()["report"]
    assert (archive["sheet"], archive["sheet_how"]) == ("Archive 2023", "chosen")
    assert [r["reference"] for r in archive["rows"]] == ["UC-01"]
    nowhere = upload(api, "02-several-tabs.xlsx", sheet="Budget")
    assert nowhere.status_code == 400 and nowhere.json()["code"] == "unknown_sheet"
    assert "Read me, Register, Lists, Archive 2023" in nowhere.json()["message"]
    # Row 2 of the title-row register as the header: the person's choice, reported.
    row2 = upload(api, TITLE_ROWS, header_row="2").json()["report"]
    assert (row2["header_row"], row2["header_row_how"]) == (2, "chosen")
    assert [e["code"] for e in row2["errors"]] == ["missing_column"]


def test_api_the_same_bad_sponsor_is_refused_alike_by_the_use_case_api_and_the_import(api):
    lwei = get_user_model().objects.get(username="lwei")
    draft = factories.UseCaseFactory(department__name="Legal", sponsor=None)
    refused = api.patch(f"/api/use-cases/{draft.pk}/", {"sponsor": lwei.pk}, format="json")
    assert refused.status_code == 400
    api_message = refused.json()["fields"]["sponsor"]

    report = upload(api, "08-people-and-rules.xlsx").json()["report"]
    sponsor = next(e for e in report["errors"] if e["reference"] == "PR-1")
    assert (sponsor["column"], sponsor["code"]) == ("Sponsor", refused.json()["code"])
    assert [sponsor["message"]] == api_message


def test_the_same_locked_goalpost_is_refused_alike_by_the_metric_api_and_the_import(api):
    applied = upload(api, "03-merged-kpi.xlsx", dry_run="false")
    assert applied.status_code == 201
    metric = Metric.objects.get(use_case__external_reference="K-01")
    refused = api.patch(f"/api/metrics/{metric.pk}/", {"target": "25"}, format="json")
    assert refused.status_code == 409

    lines = [
        ",,,,,KPI,,,,,,,",
        "ID,Name,Business Unit,Owner,Sponsor,KPI Name,KPI Unit,KPI Baseline,KPI Target,"
        "KPI Latest,KPI As of,Submitted,Pilot start",
        "K-01,Claims triage,Claims,Priya Natarajan,Dana Whitfield,Handling time,min,42,25,"
        "36.5,2025-03-31,2024-01-15,2024-03-01",
    ]
    report = upload_lines(api, "k.csv", lines).json()["report"]
    assert [(r["column"], r["code"]) for r in report["refused"]] == [
        ("KPI Target", refused.json()["code"])
    ]


def test_the_same_prohibited_practice_is_refused_alike_by_the_api_the_admin_and_the_import(
    api, client, cast
):
    # Art. 5(1)(c) of Regulation (EU) 2024/1689: social scoring. The same intake answer (yes
    # to the prohibited-practice question) and the same move (submission) on every way in.
    draft = factories.UseCaseFactory(
        department__name="Legal", title="Citizen trust score", risk_prohibited_practice=True
    )
    refused = api.post(f"/api/use-cases/{draft.pk}/submit/")
    assert (refused.status_code, refused.json()["code"]) == (409, "prohibited_practice")
    api_message = refused.json()["message"]
    assert "Art. 5 of Regulation (EU) 2024/1689" in api_message

    client.force_login(cast)
    page = client.post(
        "/admin/portfolio/usecase/",
        {"action": "submit", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert [str(m) for m in page.context["messages"]] == [f"Not submitted: {draft}: {api_message}"]
    assert UseCase.objects.get(pk=draft.pk).state == "draft"

    # A register row with the same answer and a submission date: the dry run refuses it with
    # the API's code and message, on that row, column and reference; nothing is written.
    lines = [
        "ID,Name,Business Unit,Art 5 practice,Submitted",
        "PP-1,Citizen trust score,Legal,Yes,2024-01-15",
        "PP-2,Citizen trust score draft,Legal,Yes,",
    ]
    response = upload_lines(api, "pp.csv", lines)
    assert response.status_code == 200
    report = response.json()["report"]
    assert [(e["row"], e["column"], e["reference"], e["code"], e["message"])
            for e in report["errors"]] == [
        (2, "Art 5 practice", "PP-1", refused.json()["code"], api_message)
    ]  # fmt: skip
    # The draft without a date is no submission: no error for it.
    assert not UseCase.objects.filter(external_reference__in=["PP-1", "PP-2"]).exists()
    assert ImportJob.objects.get(pk=response.json()["id"]).report["applied"] is False


def test_admin_mapping_page_shows_samples_takes_a_change_and_confirms(client, cast):
    client.force_login(cast)
    response = client.post(
        "/admin/inventory/importjob/add/",
        {"file": SimpleUploadedFile(TITLE_ROWS, (CORPUS / TITLE_ROWS).read_bytes())},
    )
    job = ImportJob.objects.get()
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Read from sheet <strong>Register</strong>" in html
    assert "headers on row <strong>4</strong>" in html
    assert "<code>$75,000</code>" in html and "Acme Insurance - AI Initiative Register" in html
    form = page.context["mapping_form"]
    assert form.initial["field_A"] == "reference" and form.initial["field_K"] == "build_cost"

    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update({"field_J": "realised_benefit_yearly", "save_as": "Acme", "sheet": "Register"})
    changed = client.post(f"/admin/inventory/importjob/{job.pk}/mapping/", data)
    assert changed.status_code == 302
    job.refresh_from_db()
    assert fields_of(job.report)["Est. Annual Benefit"] == "realised_benefit_yearly"
    assert ImportMapping.objects.get().columns["Est. Annual Benefit"] == ("realised_benefit_yearly")
    confirm = client.post(f"/admin/inventory/importjob/{job.pk}/apply/")
    assert confirm.status_code == 302
    assert UseCase.objects.get(external_reference="AI-002").realised_benefit_yearly == 120000


def test_admin_refuses_an_unknown_field_on_the_mapping_page(client, cast):
    client.force_login(cast)
    client.post(
        "/admin/inventory/importjob/add/",
        {"file": SimpleUploadedFile(TITLE_ROWS, (CORPUS / TITLE_ROWS).read_bytes())},
    )
    job = ImportJob.objects.get()
    response = client.post(
        f"/admin/inventory/importjob/{job.pk}/mapping/", {"field_A": "colour"}, follow=True
    )
    assert "Not changed" in response.content.decode()
    job.refresh_from_db()
    assert fields_of(job.report)["Initiative ID"] == "reference"


def test_command_takes_a_mapping_file_a_saved_name_and_date_orders(cast, tmp_path, capsys):
    path = CORPUS / "07-ambiguous-dates.csv"
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_inventory", str(path), "--dry-run", "--user", "pmo-admin")
    out = capsys.readouterr().out
    assert "03/04/2025 is 3 April 2025 (day first) or 4 March 2025 (month first)" in out
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"Owner": "operator_lead"},
                                   "date_orders": {"Submitted": "mdy"}}))  # fmt: skip
    call_command(
        "import_inventory", str(path), "--dry-run", "--user", "pmo-admin", "--mapping",
        str(mapping), "--date-order", "Pilot=mdy", "--save-mapping", "ambiguous",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "Owner -> Operator lead [chosen]" in out and "Mapping kept as 'ambiguous'" in out
    call_command(
        "import_inventory", str(path), "--user", "pmo-admin", "--mapping-name", "ambiguous"
    )
    am1 = UseCase.objects.get(external_reference="AM-1")
    assert am1.operator_lead.username == "lwei" and am1.outcome_owner is None
    # 03/04/2025 month first: 4 March 2025.
    assert timezone.localtime(am1.submitted_at).date().isoformat() == "2025-03-04"
    with pytest.raises(CommandError, match="COLUMN=dmy"):
        call_command("import_inventory", str(path), "--user", "pmo-admin", "--date-order", "x")
    with pytest.raises(CommandError, match="not a readable JSON"):
        call_command("import_inventory", str(path), "--user", "pmo-admin", "--mapping", "nope")


def test_the_template_still_imports_unchanged(cast):
    from inventory.services import inventory_import

    content = csv_file([{"Reference": "T-1", "Title": "t", "Department": "Claims"}])
    report = inventory_import(actor=cast, content=content, filename="t.csv", dry_run=True)
    assert report["errors"] == [] and report["sheet"] == "CSV" and report["header_row"] == 1


def test_the_saved_mappings_list_does_not_grow_in_queries_with_mappings(
    api, django_assert_max_num_queries
):
    from inventory.models import ImportMapping

    for number in range(12):
        ImportMapping.objects.create(name=f"Register {number}", created_by=get_user_model()
                                     .objects.get(username="pmo-admin"))  # fmt: skip
    # The session's user and roles, then one query for the mappings.
    with django_assert_max_num_queries(4):
        response = api.get("/api/inventory/mappings/")
    assert [m["name"] for m in response.json()][:2] == ["Register 0", "Register 1"]
    assert len(response.json()) == 12


def test_admin_lists_saved_mappings_to_administrators_only(client, cast):
    from inventory.models import ImportMapping

    ImportMapping.objects.create(name="Acme register", created_by=cast, columns={"A": "title"})
    client.force_login(cast)
    page = client.get("/admin/inventory/importmapping/")
    assert page.status_code == 200 and "Acme register" in page.content.decode()
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get("/admin/inventory/importmapping/").status_code == 403


def test_api_upload_takes_the_mapping_as_json_in_the_form(api):
    response = upload(api, TITLE_ROWS, mapping='{"J": "realised_benefit_yearly"}')
    assert response.status_code == 200, response.json()
    assert fields_of(response.json()["report"])["Est. Annual Benefit"] == "realised_benefit_yearly"
    broken = upload(api, TITLE_ROWS, mapping="{not json")
    assert broken.status_code == 400 and broken.json()["fields"]["mapping"] == ["Not valid JSON."]
