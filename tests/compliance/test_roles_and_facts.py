"""Roles decide duties (Art. 6(3), 6(4), 49(2), 26) and the Art. 50 facts, one by one, each
drive their own duty. Articles of Regulation (EU) 2024/1689."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance import applicability, services
from compliance.models import ApplicationDate, ExemptionClaim, Obligation
from portfolio.models import Notification
from tests.support.compliance import DEPLOYER_HIGH, codes, use_case_with

pytestmark = pytest.mark.usefixtures("catalogue")

ART_26 = {c for c in DEPLOYER_HIGH if c.startswith("art26")}


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def claim_body(use_case):
    return {
        "use_case": use_case.pk,
        "condition": "a",
        "reasoning": "It only converts scanned forms into text.",
        "profiles_people": False,
    }


def test_a_deployer_cannot_claim_art_6_3_for_itself(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")

    response = api_as(head).post("/api/compliance/exemption-claims/", claim_body(use_case))

    assert response.status_code == 409
    assert response.json()["code"] == "exemption_deployer"
    assert "Art. 6(3)" in response.json()["message"] and "Art. 26" in response.json()["message"]
    assert ExemptionClaim.objects.get().outcome == "refused"  # kept on the record
    assert codes(use_case) >= ART_26  # nothing stripped


def test_a_claim_without_a_recorded_role_is_refused(department, head):
    use_case = use_case_with(department, head, tier="high")

    response = api_as(head).post("/api/compliance/exemption-claims/", claim_body(use_case))

    assert (response.status_code, response.json()["code"]) == (409, "role_not_recorded")


def test_a_providers_claim_brings_art_6_4_and_49_2_and_the_deployer_side_stays(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="both")

    response = api_as(head).post("/api/compliance/exemption-claims/", claim_body(use_case))

    assert response.status_code == 201
    got = codes(use_case)
    # Art. 6(4): document the assessment; Art. 49(2): register the system.
    assert {"art6_4_assessment", "art49_2_registration"} <= got
    # The provider's high-risk duties go (Art. 6(3)); a deployer's Art. 26 duties stand.
    assert "art9_risk_management" not in got and "art43_conformity" not in got
    assert got >= ART_26


@pytest.mark.parametrize(
    ("fact", "role", "expected"),
    [
        ("interacts_with_people", "both", {"art50_1_interaction"}),
        ("generates_synthetic_content", "both", {"art50_2_marking"}),
        ("emotion_or_biometric", "both", {"art50_3_emotion_biometric"}),
        ("deep_fake_or_public_text", "both", {"art50_4_deep_fake"}),
        # Art. 50(1), (2) fall on providers, (3), (4) on deployers.
        ("interacts_with_people", "deployer", set()),
        ("emotion_or_biometric", "provider", set()),
    ],
)
def test_each_transparency_fact_drives_only_its_own_duty(department, head, fact, role, expected):
    use_case = use_case_with(department, head, tier="limited")

    services.regulatory_profile_record(use_case=use_case, actor=head, act_role=role, **{fact: True})

    assert {c for c in codes(use_case) if c.startswith("art50")} == expected


def test_a_plain_chatbot_deployer_gets_no_emotion_or_deep_fake_duty(department, head):
    use_case = use_case_with(department, head, tier="limited")

    response = api_as(head).post(
        "/api/compliance/profiles/",
        {"use_case": use_case.pk, "act_role": "deployer", "interacts_with_people": True},
    )

    assert response.status_code == 201
    assert codes(use_case) == {"art4_ai_literacy"}


def test_an_unknown_fact_is_a_400_naming_it(department, head):
    use_case = use_case_with(department, head, tier="limited")

    response = api_as(head).post(
        "/api/compliance/profiles/",
        {"use_case": use_case.pk, "act_role": "deployer", "recognises_faces": True},
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["recognises_faces"]


# --- Dates that move: one day either side of the rule -------------------------------------


@pytest.mark.parametrize(
    ("due", "moves"),
    [
        (dt.date(2026, 8, 1), False),  # set by hand the day before
        (dt.date(2026, 8, 2), True),  # due on the old date of application
        (dt.date(2026, 8, 3), False),  # generated after the date (lead days)
    ],
)
def test_only_a_due_date_on_the_old_date_follows(due, moves):
    moved = applicability.due_date_moved(
        due=due, old_applies=dt.date(2026, 8, 2), new_applies=dt.date(2027, 12, 2)
    )

    assert moved == (dt.date(2027, 12, 2) if moves else None)


def test_a_date_corrected_in_the_admin_moves_open_obligations_not_met_ones(
    client, admin_user, department, head
):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(
        use_case=use_case,
        actor=head,
        act_role="deployer",
        at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )
    met = Obligation.objects.get(use_case=use_case, obligation_type__code="art26_7_workers")
    services.obligation_update(
        obligation=met, actor=head, status="met", evidence_link="https://works.example.com/1"
    )
    annex_iii = ApplicationDate.objects.get(key="annex_iii_high_risk")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:compliance_applicationdate_change", args=[annex_iii.pk]),
        {
            "key": annex_iii.key,
            "provision": annex_iii.provision,
            "applies_from": "2028-01-03",
            "source": annex_iii.source,
            "source_url": annex_iii.source_url,
            "original_date": "2026-08-02",
            "amended_by": annex_iii.amended_by,
            "amended_by_url": annex_iii.amended_by_url,
            "verification": annex_iii.verification,
            "note": "Corrected (example).",
        },
    )

    assert response.status_code == 302
    moved = Obligation.objects.get(use_case=use_case, obligation_type__code="art26_1_instructions")
    assert moved.due_date == dt.date(2028, 1, 3)
    assert moved.history.first().history_change_reason.startswith("due 2027-12-02 -> 2028-01-03")
    met.refresh_from_db()
    assert met.due_date == dt.date(2027, 12, 2)  # met: never touched
    assert Notification.objects.filter(
        kind="obligation_date_moved", recipient=use_case.outcome_owner
    ).exists()
