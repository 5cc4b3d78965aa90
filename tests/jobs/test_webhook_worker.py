"""Webhook deliveries through real Celery workers on a real Redis, to a real receiver: a
worker killed in the middle of a delivery is replaced, and the delivery log holds each event
exactly once, delivered; a 500 is retried by the worker after its back-off."""

import signal

import pytest
from django.db import transaction

from core.events import event_publish
from integrations.models import WebhookDelivery
from tests.support.jobs import broker, spawn_worker, stop, wait_until, worker_env
from tests.support.receiver import endpoint_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def webhook_worker_env(redis_url: str, **extra: str) -> dict:
    return worker_env(
        redis_url,
        CELERY_VISIBILITY_TIMEOUT="3",
        CELERY_VISIBILITY_TIMEOUT_BELOW_LIMITS="1",
        FLYWHEEL_WEBHOOK_TIMEOUT="1",
        FLYWHEEL_WEBHOOK_BACKOFF_SECONDS="1",
        **extra,
    )


def publish_events(redis_url: str, count: int) -> list[str]:
    import integrations.tasks  # noqa: F401  (registers the delivery task)

    with broker(redis_url), transaction.atomic():
        return [
            event_publish(
                "decision_made", title=f"Decision {n}", summary="Go.", path=f"/reviews/{n}/"
            ).id
            for n in range(count)
        ]


def test_a_worker_killed_mid_delivery_leaves_each_event_once_in_the_log(
    require_postgres, redis_url, receiver, tmp_path
):
    endpoint_for(receiver, event_types=["decision_made"])
    receiver.answer("hold")  # the first request hangs until released: "mid-delivery"
    event_ids = publish_events(redis_url, 3)
    env = webhook_worker_env(redis_url)
    first = second = None
    try:
        first = spawn_worker(env, tmp_path / "first.log")
        receiver.wait_for(1, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        receiver.release.set()
        second = spawn_worker(env, tmp_path / "second.log")
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="delivered").count() == 3,
            timeout=90,
            what="every delivery to be delivered by the second worker",
        )
    finally:
        receiver.release.set()
        for worker in (first, second):
            if worker is not None:
                stop(worker)

    assert first.returncode == -signal.SIGKILL
    rows = list(WebhookDelivery.objects.values_list("event_id", "status"))
    assert sorted(rows) == sorted((event_id, "delivered") for event_id in event_ids)
    received = {r.headers["X-Flywheel-Delivery"] for r in receiver.requests}
    assert received == set(event_ids)
    assert all(r.verified for r in receiver.requests)
    # The delivery cut off by the kill was tried again: it is the one with two attempts.
    attempts = sorted(WebhookDelivery.objects.values_list("attempts", flat=True))
    assert attempts == [1, 1, 2]


def test_the_worker_retries_a_500_after_its_back_off(
    require_postgres, redis_url, receiver, tmp_path
):
    endpoint_for(receiver, event_types=["decision_made"])
    receiver.answer(500)
    (event_id,) = publish_events(redis_url, 1)
    worker = spawn_worker(webhook_worker_env(redis_url), tmp_path / "retry.log")
    try:
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="delivered").exists(),
            timeout=60,
            what="the retried delivery",
        )
    finally:
        stop(worker)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.event_id, delivery.attempts, delivery.response_status) == (event_id, 2, 200)
    first, second = receiver.requests
    gap = int(second.headers["X-Flywheel-Timestamp"]) - int(first.headers["X-Flywheel-Timestamp"])
    assert gap >= 1  # the back-off of one second, not an immediate retry
