"""The webhook admin: administrators register endpoints through the service; executives do
not see endpoints (they hold secrets)."""

import pytest
from django.urls import reverse

from integrations.models import WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_administrator_registers_an_endpoint_in_the_admin(client, department):
    administrator = factories.administrator(username="ops")
    client.force_login(administrator)

    response = client.post(
        reverse("admin:integrations_webhookendpoint_add"),
        {
            "name": "Board channel",
            "kind": "slack",
            "url": "https://hooks.slack.example.com/services/T0/B0/x",
            "secret": "a-long-enough-shared-secret",
            "event_types": ["decision_made", "review_requested"],
            "department": department.pk,
            "board": "",
            "active": "on",
        },
    )

    assert response.status_code == 302, response.content[:800]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.kind, endpoint.department, endpoint.created_by) == (
        "slack",
        department,
        administrator,
    )
    assert endpoint.event_types == ["decision_made", "review_requested"]


def test_executives_do_not_see_webhook_endpoints(client, executive):
    client.force_login(executive)

    assert client.get(reverse("admin:integrations_webhookendpoint_changelist")).status_code == 403
