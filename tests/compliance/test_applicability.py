"""Which duties apply for each tier and role, and the Art. 6(3) exemption with its profiling
refusal: through the services, with the catalogue as shipped."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance import services
from compliance.choices import ClaimOutcome
from compliance.models import ExemptionClaim, Obligation
from core.errors import ConflictError
from tests.support.compliance import DEPLOYER_HIGH, codes, use_case_with

pytestmark = pytest.mark.usefixtures("catalogue")

PROVIDER_HIGH = {
    "art9_risk_management",
    "art10_data_governance",
    "art11_technical_docs",
    "art12_record_keeping",
    "art13_instructions",
    "art14_oversight_design",
    "art15_accuracy_robustness",
    "art16_b_identification",
    "art16_l_accessibility",
    "art17_quality_management",
    "art18_documentation_keeping",
    "art19_logs",
    "art20_corrective_action",
    "art21_cooperation",
    "art43_conformity",
    "art47_declaration",
    "art48_ce_marking",
    "art49_registration",
    "art72_post_market",
    "art73_serious_incidents",
}
# The four Art. 50 facts, all true: each drives only its own duty, by role.
ALL_FACTS = dict.fromkeys(services.TRANSPARENCY_FACTS, True)
LITERACY = {"art4_ai_literacy"}
# Written out by hand from the catalogue (compliance/catalogue.py), tier by role.
EXPECTED = {
    ("minimal", "provider"): LITERACY,
    ("minimal", "deployer"): LITERACY,
    ("minimal", "both"): LITERACY,
    ("limited", "provider"): LITERACY | {"art50_1_interaction", "art50_2_marking"},
    ("limited", "deployer"): LITERACY | {"art50_3_emotion_biometric", "art50_4_deep_fake"},
    ("limited", "both"): LITERACY
    | {
        "art50_1_interaction",
        "art50_2_marking",
        "art50_3_emotion_biometric",
        "art50_4_deep_fake",
    },
    ("high", "provider"): LITERACY | PROVIDER_HIGH,
    ("high", "deployer"): LITERACY | DEPLOYER_HIGH,
    ("high", "both"): LITERACY | PROVIDER_HIGH | DEPLOYER_HIGH,
}


@pytest.mark.parametrize(("tier", "role"), sorted(EXPECTED))
def test_the_obligations_of_each_tier_and_role(department, head, tier, role):
    use_case = use_case_with(department, head, tier=tier)
    facts = ALL_FACTS if tier == "limited" else {}

    services.regulatory_profile_record(use_case=use_case, actor=head, act_role=role, **facts)

    assert use_case.risk_tier == tier
    assert codes(use_case) == EXPECTED[(tier, role)]


@pytest.mark.parametrize("role", ["provider", "deployer", "both"])
def test_a_prohibited_practice_is_refused_at_intake_whatever_the_role(department, head, role):
    use_case = use_case_with(department, head, tier="unacceptable", submit=False)

    with pytest.raises(ConflictError) as refused:
        services.regulatory_profile_record(use_case=use_case, actor=head, act_role=role)

    assert refused.value.code == "prohibited_practice"
    assert codes(use_case) == set()


def test_art_27_applies_to_deployers_in_its_scope_only(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    assert "art27_fria" not in codes(use_case)

    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role="deployer", fria_scope=True
    )

    assert codes(use_case) == LITERACY | DEPLOYER_HIGH | {"art27_fria"}


def test_transparency_duties_apply_to_a_high_risk_system_that_talks_to_people(department, head):
    use_case = use_case_with(department, head, tier="high", risk_transparency_duty=True)

    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role="both", interacts_with_people=True
    )

    # Art. 50(1) is the provider's; nothing of Art. 50(3)/(4) without their own facts.
    assert codes(use_case) == LITERACY | PROVIDER_HIGH | DEPLOYER_HIGH | {"art50_1_interaction"}


def test_generation_is_idempotent_and_a_role_change_withdraws_without_deleting(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="both")
    again = services.obligations_sync(use_case=use_case)
    assert (again.created, again.reopened, again.withdrawn) == (0, 0, 0)

    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")

    assert codes(use_case) == LITERACY | DEPLOYER_HIGH
    withdrawn = Obligation.objects.filter(use_case=use_case, status="not_applicable")
    assert set(withdrawn.values_list("obligation_type__code", flat=True)) == PROVIDER_HIGH


def test_an_art_6_3_claim_for_a_system_that_profiles_people_is_refused_and_kept(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="provider")

    claim = services.exemption_claim(
        use_case=use_case,
        actor=head,
        condition="d",
        reasoning="It only ranks CVs for a recruiter to read.",
        profiles_people=True,
    )

    assert claim.outcome == ClaimOutcome.REFUSED
    assert claim.outcome_reason.startswith("exemption_refused_profiling:")
    assert ExemptionClaim.objects.filter(use_case=use_case).count() == 1
    assert codes(use_case) == LITERACY | PROVIDER_HIGH  # still high risk


def test_an_accepted_art_6_3_claim_takes_the_system_out_of_high_risk(department, head):
    use_case = use_case_with(department, head, tier="high")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="provider")

    claim = services.exemption_claim(
        use_case=use_case,
        actor=head,
        condition="a",
        reasoning="It converts scanned forms to text; no assessment of anyone.",
        profiles_people=False,
    )

    assert claim.outcome == ClaimOutcome.ACCEPTED
    assert codes(use_case) == LITERACY | {"art6_4_assessment", "art49_2_registration"}

    services.exemption_withdraw(use_case=use_case, actor=head, reason="Scope grew.")

    assert codes(use_case) == LITERACY | PROVIDER_HIGH
    outcomes = list(
        ExemptionClaim.objects.filter(use_case=use_case).values_list("outcome", flat=True)
    )
    assert outcomes == ["accepted", "withdrawn"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({}, "exemption_not_annex_iii"),
        (
            {"risk_annex_iii_area": True, "risk_safety_component": True},
            "exemption_safety_component",
        ),
    ],
)
def test_art_6_3_is_only_for_annex_iii_systems(department, head, fields, code):
    use_case = use_case_with(department, head, **fields)
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="provider")

    claim = services.exemption_claim(
        use_case=use_case, actor=head, condition="a", reasoning="Narrow.", profiles_people=False
    )

    assert (claim.outcome, claim.outcome_reason.split(":")[0]) == ("refused", code)


def test_a_claim_needs_its_reasoning_and_condition(department, head):
    use_case = use_case_with(department, head, tier="high")

    with pytest.raises(ValidationError) as invalid:
        services.exemption_claim(
            use_case=use_case, actor=head, reasoning=" ", profiles_people=False
        )

    assert set(invalid.value.message_dict) == {"reasoning", "condition"}
    assert not ExemptionClaim.objects.exists()


def test_another_departments_head_may_not_record_the_role(department, head, other_head):
    use_case = use_case_with(department, head, tier="high")

    with pytest.raises(PermissionDenied):
        services.regulatory_profile_record(use_case=use_case, actor=other_head, act_role="deployer")


def test_due_dates_follow_the_dates_of_application(department, head):
    use_case = use_case_with(department, head, tier="high")

    services.regulatory_profile_record(
        use_case=use_case,
        actor=head,
        act_role="deployer",
        at=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC),
    )

    due = dict(
        Obligation.objects.filter(use_case=use_case).values_list(
            "obligation_type__code", "due_date"
        )
    )
    # Art. 4 applies since 2 Feb 2025: due 30 days after generation (31 March 2026).
    assert due["art4_ai_literacy"] == dt.date(2026, 3, 31)
    # Art. 26 of an Annex III system applies from 2 Dec 2027 (Art. 113 as amended by the
    # Digital Omnibus on AI): not due before then.
    assert due["art26_1_instructions"] == dt.date(2027, 12, 2)


def test_a_safety_component_takes_the_later_annex_i_date(department, head):
    use_case = use_case_with(department, head, risk_safety_component=True)

    services.regulatory_profile_record(
        use_case=use_case,
        actor=head,
        act_role="deployer",
        at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )

    due = dict(
        Obligation.objects.filter(use_case=use_case).values_list(
            "obligation_type__code", "due_date"
        )
    )
    # Art. 6(1) systems: Art. 113(c) as amended by the Digital Omnibus, 2 August 2028;
    # Art. 4 keeps its own date.
    assert due["art26_1_instructions"] == dt.date(2028, 8, 2)
    assert due["art4_ai_literacy"] == dt.date(2026, 3, 31)
