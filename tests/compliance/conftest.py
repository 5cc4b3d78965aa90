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
