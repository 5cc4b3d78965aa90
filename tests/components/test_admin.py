"""The components admin: a component registered and changed through the services (history
with who), an incident reported (moments refused on the form), the BOM dry run."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from components.models import Component, Incident
from tests import factories
from tests.support.components import report_incident

CORPUS = Path(__file__).parents[1] / "corpus" / "cyclonedx"


EMPTY_INLINES = {
    "links-TOTAL_FORMS": 0,
    "links-INITIAL_FORMS": 0,
    "mlflow_link-TOTAL_FORMS": 0,
    "mlflow_link-INITIAL_FORMS": 0,
    "model_card": "{}",
    "tools": "[]",
}


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_vendor_registered_in_the_admin_has_its_history(admin_client, admin_user):
    answer = admin_client.post(
        "/admin/components/component/add/",
        {
            "kind": "vendor",
            "name": "Acme",
            "country": "DE",
            "assessment_status": "not_assessed",
            **EMPTY_INLINES,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    vendor = Component.objects.get()
    assert vendor.history.get().history_type == "+"
    assert vendor.owner == admin_user


def test_a_field_of_another_kind_shows_on_the_form(admin_client):
    answer = admin_client.post(
        "/admin/components/component/add/",
        {
            "kind": "dataset",
            "name": "claims",
            "country": "DE",
            **EMPTY_INLINES,
        },
    )
    assert answer.status_code == 200
    assert "Only a vendor has this field." in answer.content.decode()
    assert not Component.objects.exists()


def test_an_incident_reported_in_the_admin_and_a_future_awareness_refused(
    admin_client, department, head
):
    use_case = factories.submitted(department, head)
    now = timezone.localtime()
    body = {
        "use_case": use_case.pk,
        "title": "Outage",
        "organisation_role": "deployer",
        "occurred_at_0": (now - timezone.timedelta(days=1)).strftime("%Y-%m-%d"),
        "occurred_at_1": "09:00:00",
        "aware_at_0": (now + timezone.timedelta(days=2)).strftime("%Y-%m-%d"),
        "aware_at_1": "09:00:00",
    }
    refused = admin_client.post("/admin/components/incident/add/", body)
    assert refused.status_code == 200
    assert "This moment is in the future." in refused.content.decode()
    body["aware_at_0"] = body["occurred_at_0"]
    body["aware_at_1"] = "10:00:00"
    assert admin_client.post("/admin/components/incident/add/", body).status_code == 302
    assert Incident.objects.get().number == 1


def test_the_bom_dry_run_in_the_admin(admin_client, department, head):
    use_case = factories.submitted(department, head)
    raw = (CORPUS / "credit-scoring-mlbom.json").read_bytes()
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = admin_client.post(
            "/admin/components/component/import-bom/",
            {"file": SimpleUploadedFile("bom.json", raw), "use_case": use_case.pk, "dry_run": "on"},
        )
    page = admin_client.get(answer["Location"]).content.decode()
    assert "Dry run: nothing was written" in page
    assert "5 to create" in page
    assert not Component.objects.exists()


def _correction_body(incident, **changes) -> dict:
    """The correction form as the admin shows it for ``incident``, with ``changes``."""
    local = {
        name: timezone.localtime(getattr(incident, name)) for name in ("occurred_at", "aware_at")
    }
    body = {
        "title": incident.title,
        "description": incident.description,
        "organisation_role": incident.organisation_role,
        **{f"{name}_0": at.strftime("%Y-%m-%d") for name, at in local.items()},
        **{f"{name}_1": at.strftime("%H:%M:%S") for name, at in local.items()},
        "serious": "on" if incident.serious else "",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v != ""}


def test_an_incident_corrected_in_the_admin_is_a_new_row_and_the_old_one_stays(
    admin_client, admin_user, department, head
):
    use_case = factories.submitted(department, head)
    first = report_incident(use_case, admin_user, title="Wrong scores")
    page = admin_client.get(f"/admin/components/incident/{first.pk}/change/").content.decode()
    assert f"/admin/components/incident/{first.pk}/correct/" in page
    form = admin_client.get(f"/admin/components/incident/{first.pk}/correct/")
    assert 'value="Wrong scores"' in form.content.decode()

    without_reason = admin_client.post(
        f"/admin/components/incident/{first.pk}/correct/", _correction_body(first, serious="on")
    )
    assert without_reason.status_code == 200
    assert Incident.objects.count() == 1

    done = admin_client.post(
        f"/admin/components/incident/{first.pk}/correct/",
        _correction_body(first, serious="on", reason="A person was harmed; found on review."),
    )
    assert done.status_code == 302, done.context["form"].errors
    latest = Incident.objects.current().get()
    assert (latest.number, latest.serious, latest.supersedes_id) == (1, True, first.pk)
    assert latest.correction_reason == "A person was harmed; found on review."
    first.refresh_from_db()
    assert first.serious is False  # the original row is kept as it was

    again = admin_client.post(
        f"/admin/components/incident/{first.pk}/correct/",
        _correction_body(first, reason="Twice."),
    )
    assert again.status_code == 200
    assert "already corrected" in again.content.decode()
    assert Incident.objects.count() == 2
