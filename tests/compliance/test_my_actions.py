"""Obligations a person owns show under My actions once due within the window."""

import datetime as dt

from compliance import services
from compliance.actions import compliance_actions
from compliance.models import Obligation
from core.roles import roles_of
from tests import factories
from tests.support.compliance import use_case_with


def test_an_owned_obligation_shows_from_the_window_before_its_due_date(
    catalogue, department, head, settings
):
    owner = factories.UserFactory()
    use_case = use_case_with(department, head, tier="high", outcome_owner=owner)
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    first = Obligation.objects.filter(owner=owner).order_by("due_date", "id").first()
    window = settings.FLYWHEEL_CONDITION_DUE_SOON_DAYS
    opens = dt.datetime.combine(
        first.due_date - dt.timedelta(days=window), dt.time(12), tzinfo=dt.UTC
    )

    before = compliance_actions(owner, roles_of(owner), at=opens - dt.timedelta(days=1))
    from_then = compliance_actions(owner, roles_of(owner), at=opens)

    assert not [a for a in before if a.due == first.due_date]
    titles = [a.title for a in from_then if a.due == first.due_date]
    assert f"{first.obligation_type.article}: {first.obligation_type.title}" in titles
    assert all(a.path == f"/compliance/use-cases/{use_case.pk}/" for a in from_then)
