"""An obligation that comes due is announced once to the webhooks subscribed to it: not on
its due date, the day after, never twice, and again only when its due date moves."""

import datetime as dt

import pytest

from compliance import services
from compliance.models import Obligation
from compliance.watch import obligations_sweep
from integrations.models import WebhookDelivery
from tests.support.compliance import use_case_with
from tests.support.receiver import endpoint_for

DUE = dt.date(2026, 9, 15)


def at_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


@pytest.fixture
def literacy_due(department, head):
    use_case = use_case_with(department, head, tier="limited")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    for obligation in Obligation.objects.filter(use_case=use_case):
        services.obligation_update(
            obligation=obligation, actor=head, due_date=DUE + dt.timedelta(days=365)
        )
    literacy = Obligation.objects.get(use_case=use_case, obligation_type__code="art4_ai_literacy")
    return services.obligation_update(obligation=literacy, actor=head, due_date=DUE)


def announced(endpoint) -> list[dict]:
    return [
        d.payload
        for d in WebhookDelivery.objects.filter(endpoint=endpoint, event_type="obligation_due")
    ]


def test_an_obligation_due_is_announced_once_the_day_after_its_due_date(
    literacy_due, receiver, fast_webhooks, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, event_types=["obligation_due"])

    with django_capture_on_commit_callbacks(execute=True):
        obligations_sweep(at=at_day(DUE))
    assert announced(endpoint) == []

    with django_capture_on_commit_callbacks(execute=True):
        obligations_sweep(at=at_day(DUE + dt.timedelta(days=1)))
        obligations_sweep(at=at_day(DUE + dt.timedelta(days=2)))

    (payload,) = announced(endpoint)
    assert payload["type"] == "obligation_due"
    assert payload["data"]["article"] == "Art. 4"
    assert payload["data"]["due_date"] == "2026-09-15"
    assert payload["department_id"] == literacy_due.use_case.department_id
    (request,) = receiver.wait_for(1)
    assert request.verified and request.json["id"] == payload["id"]


def test_a_moved_due_date_comes_due_again(literacy_due, head, receiver, fast_webhooks):
    endpoint = endpoint_for(receiver, event_types=["obligation_due"])
    obligations_sweep(at=at_day(DUE + dt.timedelta(days=1)))
    services.obligation_update(
        obligation=literacy_due, actor=head, due_date=DUE + dt.timedelta(days=10)
    )

    obligations_sweep(at=at_day(DUE + dt.timedelta(days=10)))
    assert len(announced(endpoint)) == 1
    obligations_sweep(at=at_day(DUE + dt.timedelta(days=11)))
    assert len(announced(endpoint)) == 2
