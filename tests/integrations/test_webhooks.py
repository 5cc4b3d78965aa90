"""Outbound webhooks against a real HTTP receiver on a loopback port: signed payloads the
receiver verifies, retries after 500 and timeouts, nothing before commit, the delivery log,
automatic disabling with a notice to administrators (Slack and Teams messages:
test_chat_formats)."""

import json
import time

import pytest
from django.db import transaction

from core.events import event_publish
from integrations import signing
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portfolio.models import Notification
from tests import factories
from tests.support.receiver import endpoint_for, retries_until_settled


def publish(**fields):
    defaults = {
        "title": "G0 review requested: Claims triage",
        "summary": "A G0 review awaits the board.",
        "path": "/reviews/7/",
        "data": {"review_id": 7},
    }
    return event_publish("review_requested", **{**defaults, **fields})


@pytest.mark.django_db
def test_the_receiver_verifies_the_signature_over_timestamp_and_body(
    receiver, fast_webhooks, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    with django_capture_on_commit_callbacks(execute=True):
        event = publish()

    (request,) = receiver.wait_for(1)
    assert request.verified
    assert request.json["id"] == event.id
    assert request.json["type"] == "review_requested"
    assert request.json["link"] == "http://127.0.0.1:8000/reviews/7/"
    assert request.headers["X-Flywheel-Delivery"] == event.id
    # The same bytes under another secret, or replayed outside the window, do not verify.
    timestamp = request.headers[signing.TIMESTAMP_HEADER]
    header = request.headers[signing.SIGNATURE_HEADER]
    assert not signing.verify(
        secret="another secret",
        timestamp=timestamp,
        body=request.body,
        signature_header=header,
        now=time.time(),
    )
    assert not signing.verify(
        secret=receiver.secret,
        timestamp=timestamp,
        body=request.body,
        signature_header=header,
        now=int(timestamp) + signing.REPLAY_WINDOW_SECONDS + 1,
    )
    assert signing.verify(
        secret=receiver.secret,
        timestamp=timestamp,
        body=request.body,
        signature_header=header,
        now=int(timestamp) + signing.REPLAY_WINDOW_SECONDS,
    )
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.response_ms is not None


@pytest.mark.django_db
def test_a_500_is_retried_with_back_off_until_delivered(
    receiver, fast_webhooks, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    receiver.answer(500, 503)
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    first = WebhookDelivery.objects.get()
    assert (first.status, first.attempts, first.response_status) == ("pending", 1, 500)
    assert first.next_attempt_at is not None

    retries_until_settled()

    requests = receiver.wait_for(3)
    assert len({r.headers["X-Flywheel-Delivery"] for r in requests}) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)


@pytest.mark.django_db
def test_a_timeout_is_retried(receiver, fast_webhooks, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    receiver.answer(("sleep", 1.5, 200))  # longer than the 0.5 s timeout
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    first = WebhookDelivery.objects.get()
    assert (first.status, first.response_status) == ("pending", None)
    assert "timed out" in first.last_error

    retries_until_settled()

    receiver.wait_for(2)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


@pytest.mark.django_db
def test_a_client_error_is_not_retried(receiver, fast_webhooks, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    receiver.answer(410)
    with django_capture_on_commit_callbacks(execute=True):
        publish()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, 410)
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_repeated_failures_disable_the_endpoint_and_tell_the_administrators(
    receiver, fast_webhooks, django_capture_on_commit_callbacks, admin_user
):
    administrator = factories.administrator(username="ops")
    endpoint = endpoint_for(receiver)
    receiver.answer(*[500] * 6)
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    retries_until_settled()
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (True, 1)

    with django_capture_on_commit_callbacks(execute=True):
        publish()
    retries_until_settled()

    endpoint.refresh_from_db()
    assert endpoint.active is False
    assert endpoint.consecutive_failures == 2
    assert len(receiver.requests) == 6  # three attempts per delivery
    told = set(
        Notification.objects.filter(kind="webhook_disabled").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {administrator.username, admin_user.username}
    # Disabled: the next event is not even recorded for it.
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    assert WebhookDelivery.objects.count() == 2


@pytest.mark.django_db
def test_one_success_resets_the_failure_count(
    receiver, fast_webhooks, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver)
    receiver.answer(500, 500, 500)
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    retries_until_settled()
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 1
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (True, 0)


@pytest.mark.django_db(transaction=True)
def test_nothing_is_delivered_before_the_commit_nor_after_a_rollback(receiver, fast_webhooks):
    endpoint_for(receiver)
    with transaction.atomic():
        publish()
        time.sleep(0.3)
        assert receiver.requests == []
        assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING
    receiver.wait_for(1)

    with pytest.raises(RuntimeError), transaction.atomic():
        publish(title="Rolled back")
        raise RuntimeError("the change fails")
    time.sleep(0.3)
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_endpoints_receive_only_their_types_department_and_board(
    receiver, fast_webhooks, django_capture_on_commit_callbacks, department, other_department
):
    endpoint_for(receiver, name="claims only", department=department)
    endpoint_for(receiver, name="votes only", event_types=["vote_cast"])
    with django_capture_on_commit_callbacks(execute=True):
        publish(department_id=department.pk)
        publish(department_id=other_department.pk)

    rows = WebhookDelivery.objects.values_list("endpoint__name", "event_type")
    assert list(rows) == [("claims only", "review_requested")]


@pytest.mark.django_db
def test_the_governance_flow_publishes_its_events(
    receiver, fast_webhooks, django_capture_on_commit_callbacks, board_flow, board
):
    endpoint_for(
        receiver,
        name="board",
        event_types=["review_requested", "vote_cast", "decision_made", "use_case_transitioned"],
        board=board[0],
    )
    endpoint_for(receiver, name="moves", event_types=["use_case_transitioned"])
    with django_capture_on_commit_callbacks(execute=True):
        review = board_flow()

    receiver.wait_for(7)
    by_endpoint = {}
    for name, event_type in WebhookDelivery.objects.order_by("id").values_list(
        "endpoint__name", "event_type"
    ):
        by_endpoint.setdefault(name, []).append(event_type)
    # A transition is about a department, not a board: the board's endpoint does not hear it.
    assert by_endpoint == {
        "board": ["review_requested", "vote_cast", "vote_cast", "vote_cast", "decision_made"],
        "moves": ["use_case_transitioned", "use_case_transitioned"],
    }
    assert all(r.verified for r in receiver.requests)
    assert not WebhookDelivery.objects.exclude(status="delivered").exists()
    decided = next(r.json for r in receiver.requests if r.json["type"] == "decision_made")
    assert decided["data"]["verdict"] == "go"
    assert decided["link"].endswith(f"/reviews/{review.pk}/")
    moves = [
        r.json["data"]["to_state"]
        for r in receiver.requests
        if r.json["type"] == "use_case_transitioned"
    ]
    assert moves == ["submitted", "pilot"]


@pytest.mark.django_db
def test_the_secret_is_never_shown_and_only_administrators_register(
    client, admin_user, head, department
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(head)
    body = {
        "name": "GRC",
        "url": "https://grc.example.com/hooks",
        "secret": "s" * 32,
        "event_types": ["decision_made", "flag_raised"],
        "department": department.pk,
    }
    refused = api.post("/api/webhooks/", body, format="json")
    assert refused.status_code == 403

    api.force_authenticate(admin_user)
    created = api.post("/api/webhooks/", body, format="json")
    assert created.status_code == 201
    assert "secret" not in created.json()
    assert WebhookEndpoint.objects.get().secret == "s" * 32

    bad = api.post("/api/webhooks/", {**body, "event_types": ["nonsense"]}, format="json")
    assert bad.status_code == 400
    assert "event_types" in json.dumps(bad.json())


@pytest.mark.django_db
def test_the_webhook_lists_filter_by_id_and_refuse_a_misspelt_filter(
    admin_user, department, other_department
):
    from rest_framework.test import APIClient

    claims, other = (
        WebhookEndpoint.objects.create(
            name=name,
            url=f"https://hooks.example.com/{name}",
            secret="s" * 32,
            event_types=["decision_made"],
            department=dept,
        )
        for name, dept in (("claims", department), ("other", other_department))
    )
    for n, endpoint in enumerate((claims, other)):
        WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=f"e{n}", event_type="decision_made", payload={}
        )
    api = APIClient()
    api.force_authenticate(admin_user)

    deliveries = api.get(f"/api/webhook-deliveries/?endpoint_id={claims.pk}").json()
    hooks = api.get(f"/api/webhooks/?department_id={other_department.pk}").json()
    misspelt = api.get(f"/api/webhook-deliveries/?endpointid={claims.pk}")

    assert [d["endpoint"] for d in deliveries["results"]] == [claims.pk]
    assert [h["id"] for h in hooks["results"]] == [other.pk]
    assert misspelt.status_code == 400
    accepted = ["endpoint_id", "event_type", "format", "ordering", "page", "page_size", "status"]
    assert misspelt.json() == {
        "code": "unknown_parameter",
        "message": "Unknown query parameter: endpointid.",
        "fields": {
            "endpointid": [f"Not a parameter of this list; accepted: {', '.join(accepted)}."]
        },
        "accepted": accepted,
    }
