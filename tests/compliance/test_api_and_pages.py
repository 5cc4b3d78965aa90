"""The compliance API (role-scoped, one error format), the pages, the admin's corrections of
the catalogue and the posture per department."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance import services
from compliance.models import ApplicationDate, ExemptionClaim, Obligation, ObligationType
from compliance.selectors import posture_by_department
from tests import factories
from tests.support.compliance import use_case_with

pytestmark = pytest.mark.usefixtures("catalogue")


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_recording_the_role_generates_the_obligations(department, head):
    use_case = use_case_with(department, head, tier="limited")
    body = {
        "use_case": use_case.pk,
        "act_role": "provider",
        "interacts_with_people": True,
        "generates_synthetic_content": True,
    }

    first = api_as(head).post("/api/compliance/profiles/", body)
    again = api_as(head).post("/api/compliance/profiles/", body)

    assert (first.status_code, again.status_code) == (201, 200)
    listed = api_as(head).get(f"/api/compliance/obligations/?use_case_id={use_case.pk}").json()
    assert sorted(row["article"] for row in listed["results"]) == [
        "Art. 4",
        "Art. 50(1)",
        "Art. 50(2)",
    ]


def test_a_prohibited_practice_is_refused_with_its_code(department, head):
    use_case = use_case_with(department, head, tier="unacceptable", submit=False)

    response = api_as(head).post(
        "/api/compliance/profiles/", {"use_case": use_case.pk, "act_role": "deployer"}
    )

    assert (response.status_code, response.json()["code"]) == (409, "prohibited_practice")


def test_the_profiling_refusal_through_the_api_keeps_the_claim(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="provider")

    response = api_as(head).post(
        "/api/compliance/exemption-claims/",
        {
            "use_case": use_case.pk,
            "condition": "c",
            "reasoning": "It flags unusual claims for a human to look at.",
            "profiles_people": True,
        },
    )

    assert response.status_code == 409
    assert response.json()["code"] == "exemption_refused_profiling"
    kept = api_as(head).get(f"/api/compliance/exemption-claims/{response.json()['claim']}/")
    assert kept.json()["outcome"] == "refused"
    assert ExemptionClaim.objects.filter(use_case=use_case).count() == 1


def test_owner_works_on_an_obligation_and_others_may_not(department, head, other_head):
    owner = factories.member_of(department)  # reads the use case; manages nothing
    use_case = use_case_with(department, head, tier="minimal", outcome_owner=owner)
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    obligation = Obligation.objects.get(use_case=use_case)
    url = f"/api/compliance/obligations/{obligation.pk}/"

    by_owner = api_as(owner).patch(url, {"status": "in_progress", "due_date": "2026-12-01"})
    by_other = api_as(other_head).patch(url, {"status": "in_progress"})
    unknown = api_as(head).patch(url, {"obligation_type": 1})
    not_an_object = api_as(head).patch(url, False, format="json")
    no_evidence = api_as(head).patch(url, {"status": "met"})
    withdrawn = api_as(head).patch(url, {"status": "not_applicable"})

    assert by_owner.status_code == 200
    assert (by_owner.json()["status"], by_owner.json()["due_date"]) == ("in_progress", "2026-12-01")
    assert (by_other.status_code, by_other.json()["code"]) == (403, "permission_denied")
    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["obligation_type"]
    assert (not_an_object.status_code, not_an_object.json()["code"]) == (400, "invalid")
    assert no_evidence.status_code == 400 and "evidence_link" in no_evidence.json()["fields"]
    assert withdrawn.status_code == 400 and "status" in withdrawn.json()["fields"]


def test_a_drafts_obligations_are_hidden_from_other_departments(department, head, other_head):
    use_case = use_case_with(department, head, tier="minimal", submit=False)
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    obligation = Obligation.objects.get(use_case=use_case)

    assert (
        api_as(other_head).get(f"/api/compliance/obligations/{obligation.pk}/").status_code == 404
    )
    assert api_as(other_head).get("/api/compliance/obligations/").json()["count"] == 0


@pytest.mark.parametrize("size", [1, 6])
def test_the_obligation_list_costs_constant_queries(
    size, department, head, django_assert_max_num_queries
):
    for _ in range(size):
        use_case = use_case_with(department, head, tier="high")
        services.regulatory_profile_record(use_case=use_case, actor=head, act_role="both")
    client = api_as(head)

    with django_assert_max_num_queries(8):
        response = client.get("/api/compliance/obligations/?page_size=500")

    # Both roles of an Annex III system: Art. 4, 20 provider and 9 deployer duties.
    assert response.json()["count"] == size * 30


def test_the_catalogue_and_dates_are_published_with_their_sources(head):
    dates = api_as(head).get("/api/compliance/application-dates/").json()["results"]

    assert {(d["key"], d["applies_from"]) for d in dates} == {
        ("prohibitions_literacy", "2025-02-02"),
        ("gpai", "2025-08-02"),
        ("general", "2026-08-02"),
        ("annex_iii_high_risk", "2027-12-02"),
        ("annex_i_products", "2028-08-02"),
    }
    general = next(d for d in dates if d["key"] == "general")
    assert "Art. 113" in general["source"] and "Digital Omnibus" in general["verification"]
    annex_iii = next(d for d in dates if d["key"] == "annex_iii_high_risk")
    assert (annex_iii["original_date"], annex_iii["amended_by"][:20]) == (
        "2026-08-02",
        "Digital Omnibus on A",
    )
    assert "NOT VERIFIED" in annex_iii["verification"]
    types = api_as(head).get("/api/compliance/obligation-types/?page_size=100").json()["results"]
    assert all(t["source"].startswith("Regulation (EU) 2024/1689") for t in types)


def test_an_administrator_corrects_a_date_and_adds_a_duty_in_the_admin(
    client, admin_user, department, head
):
    client.force_login(admin_user)
    general = ApplicationDate.objects.get(key="general")
    response = client.post(
        reverse("admin:compliance_applicationdate_change", args=[general.pk]),
        {
            "key": "general",
            "provision": general.provision,
            "applies_from": "2027-12-02",
            "source": "Amending regulation (example), Art. 1",
            "source_url": "",
            "amended_by": "",
            "amended_by_url": "",
            "verification": "",
            "note": "Postponed by the amending act.",
        },
    )
    assert response.status_code == 302
    added = client.post(
        reverse("admin:compliance_obligationtype_add"),
        {
            "code": "internal_ai_register",
            "article": "Policy 7",
            "title": "Entry in the group AI register",
            "tiers": '["minimal", "limited", "high"]',
            "roles": '["deployer"]',
            "condition": "",
            "application_date": general.pk,
            "legal_act": "Group AI policy",
            "due_when": "before_go_live",
            "lead_days": "10",
            "source": "Group AI policy, section 7",
            "active": "on",
        },
    )
    assert added.status_code == 302, added.content[:2000]
    use_case = use_case_with(department, head, tier="high")

    services.regulatory_profile_record(
        use_case=use_case,
        actor=head,
        act_role="deployer",
        at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )

    due = dict(
        Obligation.objects.filter(use_case=use_case).values_list(
            "obligation_type__code", "due_date"
        )
    )
    assert due["internal_ai_register"] == dt.date(2027, 12, 2)
    assert due["art26_2_oversight"] == dt.date(2027, 12, 2)
    assert ObligationType.objects.get(code="internal_ai_register").source.startswith("Group")


def test_executives_read_the_catalogue_in_the_admin_and_change_nothing(client, executive):
    client.force_login(executive)
    general = ApplicationDate.objects.get(key="general")
    url = reverse("admin:compliance_applicationdate_change", args=[general.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"applies_from": "2030-01-01"}).status_code == 403
    general.refresh_from_db()
    assert general.applies_from == dt.date(2026, 8, 2)


def test_the_posture_per_department(department, head, other_department, other_head, executive):
    use_case = use_case_with(department, head, tier="limited")
    services.regulatory_profile_record(
        use_case=use_case,
        actor=head,
        act_role="provider",
        interacts_with_people=True,
        generates_synthetic_content=True,
    )
    literacy = Obligation.objects.get(use_case=use_case, obligation_type__code="art4_ai_literacy")
    services.obligation_update(
        obligation=literacy, actor=head, status="met", evidence_link="https://lms.example.com"
    )
    marking = Obligation.objects.get(use_case=use_case, obligation_type__code="art50_2_marking")
    services.obligation_update(obligation=marking, actor=head, due_date=dt.date(2026, 1, 1))

    rows = {r["department"]: r for r in posture_by_department(today=dt.date(2026, 1, 2))}

    # 3 duties (Art. 4, 50(1), 50(2)): one met, two open, one of them overdue.
    claims = rows["Claims"]
    assert (claims["obligations"], claims["met"], claims["open"], claims["overdue"]) == (3, 1, 2, 1)
    assert claims["posture"] == 33.3
    assert rows["Marketing"]["posture"] is None
    assert api_as(executive).get("/api/compliance/posture/").status_code == 200
    assert api_as(head).get("/api/compliance/posture/").status_code == 403


def test_the_use_case_page_for_its_head_and_for_another_department(
    client, department, head, other_head
):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    url = reverse("compliance:use-case", args=[use_case.pk])

    client.force_login(head)
    own = client.get(url)
    refused = client.post(
        reverse("compliance:claim-save", args=[use_case.pk]),
        {"condition": "a", "reasoning": "Narrow.", "profiles_people": "on"},
        follow=True,
    )
    client.force_login(other_head)
    other = client.get(url)

    assert (
        own.status_code == 200
        and b"Art. 26(2)" in own.content
        and b"Record the role" in own.content
    )
    assert b"Claim refused and kept on the record" in refused.content
    assert b"Profiles people" in refused.content
    assert other.status_code == 200 and b"Record the role" not in other.content


def test_the_crosswalk_page_shows_the_mapping(client, head):
    client.force_login(head)

    response = client.get(reverse("compliance:crosswalk"))

    assert b"A.6.2.8" in response.content and b"transition_record" in response.content
    assert b"MANAGE 4.1" in response.content


def test_the_command_generates_a_duty_added_to_the_catalogue(department, head):
    from io import StringIO

    from django.core.management import call_command

    use_case = use_case_with(department, head, tier="minimal")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    ObligationType.objects.create(
        code="group_register",
        article="Policy 7",
        title="Entry in the group AI register",
        tiers=["minimal"],
        roles=["deployer"],
        application_date=ApplicationDate.objects.get(key="general"),
        source="Group AI policy, section 7",
    )
    out = StringIO()

    call_command("obligations", stdout=out)
    call_command("obligations", stdout=out)

    assert out.getvalue().splitlines()[0].startswith("1 created, 0 reopened")
    assert out.getvalue().splitlines()[1].startswith("0 created, 0 reopened")
    assert Obligation.objects.filter(use_case=use_case).count() == 2


@pytest.mark.parametrize("size", [1, 6])
def test_the_attachment_list_costs_constant_queries(
    size, department, head, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from compliance.attachments import attachment_upload

    use_case = use_case_with(department, head)
    previous = None
    for i in range(size):
        previous = attachment_upload(
            use_case=use_case,
            actor=head,
            kind="model_card",
            supersedes=previous,
            file=SimpleUploadedFile(f"card{i}.pdf", b"%PDF-1.7\n" + bytes([65 + i])),
        )
    client = api_as(head)

    with django_assert_max_num_queries(7):
        response = client.get("/api/compliance/attachments/")

    assert response.json()["count"] == size


@pytest.mark.parametrize(
    "model",
    [
        "applicationdate",
        "obligationtype",
        "crosswalkentry",
        "regulatoryprofile",
        "obligation",
        "exemptionclaim",
        "attachment",
    ],
)
def test_every_compliance_admin_list_opens_for_administrators_and_executives(
    model, client, admin_user, executive, department, head
):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    url = reverse(f"admin:compliance_{model}_changelist")

    for person in (admin_user, executive):
        client.force_login(person)
        assert client.get(url).status_code == 200


def test_an_administrator_changes_an_obligation_through_the_service(
    client, admin_user, department, head
):
    use_case = use_case_with(department, head, tier="minimal")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    obligation = Obligation.objects.get(use_case=use_case)
    client.force_login(admin_user)
    url = reverse("admin:compliance_obligation_change", args=[obligation.pk])
    form = {
        "owner": "",
        "status": "met",
        "due_date": "2026-10-01",
        "evidence_link": "",
        "notes": "",
    }

    refused = client.post(url, form)
    accepted = client.post(url, {**form, "evidence_link": "https://lms.example.com/ai"})

    assert refused.status_code == 200 and b"Met needs evidence" in refused.content
    assert accepted.status_code == 302
    obligation.refresh_from_db()
    assert (obligation.status, obligation.due_date) == ("met", dt.date(2026, 10, 1))


def test_the_admin_refuses_a_profile_for_a_prohibited_practice_on_the_form(
    client, admin_user, department, head
):
    use_case = use_case_with(department, head, tier="unacceptable", submit=False)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:compliance_regulatoryprofile_add"),
        {"use_case": use_case.pk, "act_role": "deployer"},
    )

    assert response.status_code == 200
    assert b"prohibited by Art. 5" in response.content
    assert not Obligation.objects.filter(use_case=use_case).exists()


def test_the_admin_records_a_role_and_regenerates_through_the_service(
    client, admin_user, department, head
):
    use_case = use_case_with(department, head, tier="high")
    client.force_login(admin_user)

    added = client.post(
        reverse("admin:compliance_regulatoryprofile_add"),
        # The admin's form shows "decides about people" ticked (its default): a browser posts it.
        {"use_case": use_case.pk, "act_role": "deployer", "decides_about_people": "on"},
    )
    Obligation.objects.filter(use_case=use_case, obligation_type__code="art26_6_logs").delete()
    profile = use_case.regulatory_profile
    regenerated = client.post(
        reverse("admin:compliance_regulatoryprofile_changelist"),
        {"action": "regenerate_obligations", "_selected_action": [profile.pk]},
    )

    assert (added.status_code, regenerated.status_code) == (302, 302)
    # Art. 4, eight Art. 26 duties and Art. 86 (an Annex III system's deployer).
    assert Obligation.objects.filter(use_case=use_case).count() == 10
