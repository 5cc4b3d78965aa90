"""The evidence pack of a use case made here: what evidences each clause, with links and
dates, and the gaps; as JSON, CSV, HTML and PDF, for executives and administrators only."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from compliance import attachments, services
from compliance.evidence_pack import evidence_pack
from compliance.models import Obligation
from tests.support.compliance import PDF, first_use_duties_meet
from tests.support.gates import T0, in_pilot, pass_gate, ready_for_g1, submitted

pytestmark = pytest.mark.usefixtures("catalogue", "default_criteria")

UPLOADED = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def triage(department, head):
    """A high-risk claims triage assistant in pilot, deployed by us: the role recorded, the
    FRIA uploaded and the other duties due before first use met (by links) before G0 was
    decided, readings taken, AI literacy not yet evidenced."""
    use_case = submitted(
        department,
        head,
        title="Claims triage assistant",
        risk_annex_iii_area=True,
        human_oversight="A claims handler confirms every triage.",
    )
    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role="deployer", fria_scope=True
    )
    fria = Obligation.objects.get(use_case=use_case, obligation_type__code="art27_fria")
    attachments.attachment_upload(
        use_case=use_case,
        actor=head,
        obligation=fria,
        kind="impact_assessment",
        title="Fundamental-rights impact assessment",
        file=SimpleUploadedFile("fria.pdf", PDF),
        at=UPLOADED,
    )
    services.obligation_update(obligation=fria, actor=head, status="met")
    first_use_duties_meet(use_case, head)
    use_case = pass_gate(use_case, head, T0 - dt.timedelta(days=60))
    ready_for_g1(use_case, head)
    return use_case


def gaps(pack) -> list[tuple[str, str]]:
    return [(row.reference, row.evidence) for row in pack.rows if row.gap]


def test_the_iso_42001_pack_of_the_triage_assistant(triage):
    pack = evidence_pack(use_case_id=triage.pk, framework="iso42001")

    assert pack.framework_label == "ISO/IEC 42001:2023"
    assert len(pack.rows) == 27
    # Written out by hand: 11 obligations (Art. 4, eight Art. 26 duties, Art. 27, Art. 86),
    # six met before first use (Art. 26(1), 26(2), 26(7), 26(9), 26(11), 27); no model card,
    # no contract, no training record.
    assert gaps(pack) == [
        ("5.3", "obligations"),
        ("6.1.3", "obligations"),
        ("7.2", "training_records"),
        ("A.6.2.7", "model_card"),
        ("A.8.2", "model_card"),
        ("A.10.2", "contracts"),
    ]
    by_ref = {(row.reference, row.evidence): row for row in pack.rows}
    treatment = by_ref[("6.1.3", "obligations")]
    assert treatment.gap == "5 obligation(s) not met."
    assert len(treatment.items) == 11
    impact = by_ref[("6.1.4", "impact_assessment")]
    (item,) = impact.items
    assert item.label == "Fundamental-rights impact assessment v1 (Impact assessment)"
    assert item.at == UPLOADED
    assert item.link.startswith("/compliance/attachments/")
    decisions = by_ref[("8.1", "gate_decisions")]
    assert [i.label for i in decisions.items] == ["G0 review decided"]
    oversight = by_ref[("A.9.2", "human_oversight")]
    assert oversight.items[0].label == "Human oversight: A claims handler confirms every triage."


def test_meeting_ai_literacy_closes_the_competence_gap(triage, head):
    literacy = Obligation.objects.get(use_case=triage, obligation_type__code="art4_ai_literacy")
    services.obligation_update(
        obligation=literacy, actor=head, status="met", evidence_link="https://lms.example.com/ai"
    )

    pack = evidence_pack(use_case_id=triage.pk, framework="iso42001")

    assert ("7.2", "training_records") not in gaps(pack)
    assert len(gaps(pack)) == 5


def test_the_nist_pack_names_govern_map_measure_manage(triage):
    pack = evidence_pack(use_case_id=triage.pk, framework="nist_ai_rmf")

    functions = {row.reference.split()[0] for row in pack.rows}
    assert functions == {"GOVERN", "MAP", "MEASURE", "MANAGE"}
    assert gaps(pack) == [
        ("GOVERN 1.1", "obligations"),
        ("GOVERN 2.2", "training_records"),
        ("GOVERN 6.1", "contracts"),
        ("MANAGE 1.3", "obligations"),
    ]


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("role", "status"), [("executive", 200), ("admin", 200), ("head", 403)])
def test_who_takes_the_pack_through_the_api(role, status, triage, head, executive, admin_user):
    user = {"executive": executive, "admin": admin_user, "head": head}[role]
    url = f"/api/compliance/use-cases/{triage.pk}/evidence-packs/iso42001/"

    response = api_as(user).get(url)

    assert response.status_code == status
    if status == 200:
        assert response.json()["gaps"] == 6
        assert response.json()["rows"][0]["reference"] == "4.3"
    else:
        assert response.json()["code"] == "permission_denied"
        assert api_as(user).get(url + "?format=csv").status_code == 403


def test_the_pack_as_csv_from_the_api(triage, executive):
    url = f"/api/compliance/use-cases/{triage.pk}/evidence-packs/iso42001/?format=csv"

    response = api_as(executive).get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 27
    impact = next(r for r in rows if r["reference"] == "6.1.4")
    assert impact["dates"] == "2025-03-04"
    assert impact["links"].startswith("/compliance/attachments/")
    assert impact["gap"] == ""


def test_unknown_framework_and_invisible_use_case_are_404(triage, executive):
    client = api_as(executive)

    assert (
        client.get(f"/api/compliance/use-cases/{triage.pk}/evidence-packs/soc2/").status_code == 404
    )
    assert (
        client.get("/api/compliance/use-cases/999999/evidence-packs/iso42001/").status_code == 404
    )


@pytest.mark.parametrize(("role", "status"), [("executive", 200), ("admin", 200), ("head", 403)])
def test_the_pack_page_by_role(role, status, triage, head, executive, admin_user, client):
    client.force_login({"executive": executive, "admin": admin_user, "head": head}[role])
    url = reverse("compliance:evidence-pack", args=[triage.pk, "nist_ai_rmf"])

    response = client.get(url)

    assert response.status_code == status
    if status == 200:
        assert b"Evidence pack: NIST AI RMF 1.0" in response.content
        assert b"GOVERN 1.6" in response.content


def test_the_pack_as_pdf_and_csv_downloads(triage, executive, client):
    client.force_login(executive)
    url = reverse("compliance:evidence-pack", args=[triage.pk, "iso42001"])

    pdf = client.get(url + "?format=pdf")
    sheet = client.get(url + "?format=csv")

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "evidence-pack-iso42001" in pdf["Content-Disposition"]
    assert sheet.status_code == 200 and b"6.1.4" in sheet.content


def test_a_title_that_looks_like_a_formula_is_neutralised(department, head, executive):
    use_case = in_pilot(department, head, title='=HYPERLINK("http://x")')
    url = f"/api/compliance/use-cases/{use_case.pk}/evidence-packs/iso42001/?format=csv"

    rows = list(csv.DictReader(io.StringIO(api_as(executive).get(url).content.decode())))

    register = next(r for r in rows if r["reference"] == "4.3")
    assert register["evidence"].startswith("'=HYPERLINK")


def test_a_pack_costs_a_constant_number_of_queries(triage, head, django_assert_max_num_queries):
    for i in range(5):
        attachments.attachment_upload(
            use_case=triage,
            actor=head,
            kind="model_card",
            title=f"Card {i}",
            file=SimpleUploadedFile(f"card{i}.pdf", PDF),
        )

    with django_assert_max_num_queries(14):
        pack = evidence_pack(use_case_id=triage.pk, framework="iso42001")

    assert ("A.6.2.7", "model_card") not in gaps(pack)


# --- The evidence itself, so that the pack stands on its own ------------------------------


def fria_digest() -> str:
    import hashlib

    # The digest of the bytes uploaded, computed here, not read back from Flywheel.
    return hashlib.sha256(PDF).hexdigest()


def test_every_met_obligation_carries_its_evidence_in_the_pack(triage):
    pack = evidence_pack(use_case_id=triage.pk, framework="iso42001")

    met = {o.article: o.evidence for o in pack.met}
    # Six duties met before first use: Art. 26(1), 26(2), 26(7), 26(9), 26(11) by a link,
    # Art. 27 by the uploaded FRIA.
    assert sorted(met) == sorted(
        ["Art. 26(1)", "Art. 26(11)", "Art. 26(2)", "Art. 26(7)", "Art. 26(9)", "Art. 27"]
    )
    assert met["Art. 27"] == (
        "Document fria.pdf ('Fundamental-rights impact assessment'), version 1, "
        f"SHA-256 {fria_digest()}",
    )
    assert met["Art. 26(7)"] == ("Link https://intranet.example.com/art26_7_workers",)


def test_the_csv_and_html_packs_carry_the_evidence_itself(triage, executive, client):
    client.force_login(executive)
    url = reverse("compliance:evidence-pack", args=[triage.pk, "nist_ai_rmf"])

    sheet = client.get(url + "?format=csv").content.decode()
    page = client.get(url).content.decode()

    rows = list(csv.DictReader(io.StringIO(sheet)))
    obligations = next(r for r in rows if r["evidenced_by"].startswith("Obligations"))
    assert f"SHA-256 {fria_digest()}" in obligations["evidence_itself"]
    assert "Link https://intranet.example.com/art26_9_dpia" in obligations["evidence_itself"]
    assert "Met obligations and their evidence" in page
    assert fria_digest() in page and "https://intranet.example.com/art26_11_inform_persons" in page


def test_the_pdf_pack_carries_the_evidence_itself(triage, executive, client):
    from pypdf import PdfReader

    client.force_login(executive)
    url = reverse("compliance:evidence-pack", args=[triage.pk, "iso42001"])

    pdf = client.get(url + "?format=pdf").content

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert fria_digest() in flat
    assert "Metobligationsandtheirevidence" in flat


# --- OSCAL assessment results -----------------------------------------------------------


def test_the_oscal_export_is_valid_assessment_results_with_the_evidence(triage, executive):
    import json

    from trestle.oscal.assessment_results import AssessmentResults

    response = api_as(executive).get(f"/api/compliance/use-cases/{triage.pk}/oscal/")

    assert response.status_code == 200
    document = json.loads(response.content)
    # Validated by compliance-trestle's own OSCAL models (pydantic), from the JSON as served.
    results = AssessmentResults.model_validate(document["assessment-results"])
    (result,) = results.results
    findings = {f.target.target_id: f for f in result.findings}
    # 11 obligations of a deployer of an Annex III system in Art. 27 scope; 6 met.
    assert len(findings) == 11
    assert findings["art27_fria"].target.status.state.value == "satisfied"
    assert findings["art26_4_input_data"].target.status.state.value == "not-satisfied"
    (observation,) = [
        o
        for o in result.observations
        if o.uuid == findings["art27_fria"].related_observations[0].observation_uuid
    ]
    (evidence,) = observation.relevant_evidence
    assert {p.name: p.value for p in evidence.props}["sha256"] == fria_digest()
    assert len(result.observations) == 6
    assert "Content-Disposition" in response and "oscal" in response["Content-Disposition"]


def test_the_oscal_export_is_for_pack_readers_only(triage, head):
    response = api_as(head).get(f"/api/compliance/use-cases/{triage.pk}/oscal/")

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
