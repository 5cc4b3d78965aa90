"""Use cases with the intake answers that give each risk tier, duties met for first use, and
the legal facts several compliance tests read."""

import datetime as dt

from compliance import services
from compliance.choices import ObligationStatus
from compliance.models import Obligation
from portfolio import services as portfolio_services
from tests import factories
from tests.support.receiver import fast_webhooks, receiver  # noqa: F401  (fixtures)

# The four intake answers that give each tier (portfolio's GeneratedField derives it).
TIER_ANSWERS = {
    "minimal": {},
    "limited": {"risk_transparency_duty": True},
    "high": {"risk_annex_iii_area": True},
    "unacceptable": {"risk_prohibited_practice": True},
}


def use_case_with(department, head, *, tier="minimal", submit=True, **fields):
    use_case = factories.UseCaseFactory(department=department, **{**TIER_ANSWERS[tier], **fields})
    if submit:
        use_case = portfolio_services.use_case_submit(use_case=use_case, actor=head)
    use_case.refresh_from_db()
    return use_case


def first_use_duties_meet(use_case, head):
    """Meet, with a link as evidence, every open duty due before first use (G0's)."""
    from compliance.models import Obligation

    for obligation in Obligation.objects.filter(
        use_case=use_case, obligation_type__due_when="before_first_use", status="open"
    ):
        services.obligation_update(
            obligation=obligation,
            actor=head,
            status="met",
            evidence_link=f"https://intranet.example.com/{obligation.obligation_type.code}",
        )


def in_pilot_lawfully(department, head, *, role="deployer", fria_scope=False, **fields):
    """A use case through G0 as the law allows it: submitted, its role recorded and its
    duties due before first use met, then a real GO."""

    from tests.support.gates import T0, pass_gate, submitted

    use_case = submitted(department, head, **fields)
    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role=role, fria_scope=fria_scope
    )
    first_use_duties_meet(use_case, head)
    return pass_gate(use_case, head, T0 - dt.timedelta(days=60))


DEPLOYER_HIGH = {
    "art26_1_instructions",
    "art26_2_oversight",
    "art26_4_input_data",
    "art26_5_monitoring",
    "art26_6_logs",
    "art26_7_workers",
    "art26_9_dpia",
    "art26_11_inform_persons",
    "art86_explanation",  # an Annex III system (the cast's high tier)
}


def codes(use_case) -> set[str]:
    return set(
        Obligation.objects.filter(use_case=use_case)
        .exclude(status=ObligationStatus.NOT_APPLICABLE)
        .values_list("obligation_type__code", flat=True)
    )


PDF = b"%PDF-1.7\n% a model card\n%%EOF\n"
