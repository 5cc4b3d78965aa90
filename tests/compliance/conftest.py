"""The compliance cast: use cases by tier, their people, and stored documents in a temporary
media root (FileSystemStorage, the default)."""

import pytest

from compliance import services
from portfolio import services as portfolio_services
from tests import factories
from tests.receiver import fast_webhooks, receiver  # noqa: F401  (fixtures)

# The four intake answers that give each tier (portfolio's GeneratedField derives it).
TIER_ANSWERS = {
    "minimal": {},
    "limited": {"risk_transparency_duty": True},
    "high": {"risk_annex_iii_area": True},
    "unacceptable": {"risk_prohibited_practice": True},
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def catalogue(db):
    """The shipped catalogue (the migration loads it; a flushed database gets it again)."""
    services.catalogue_load()


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
    import datetime as dt

    from tests.gates.test_reviews import T0, pass_gate, submitted

    use_case = submitted(department, head, **fields)
    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role=role, fria_scope=fria_scope
    )
    first_use_duties_meet(use_case, head)
    return pass_gate(use_case, head, T0 - dt.timedelta(days=60))
