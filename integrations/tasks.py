"""Celery task of the integrations: one delivery attempt, retried with back-off.

Idempotent (acks_late redelivers after a worker dies): an attempt on a delivered row does
nothing, so the log holds each event once per endpoint whatever the redeliveries.
"""

from celery import shared_task
from django.conf import settings

from core import jobs
from integrations.models import DeliveryStatus
from integrations.services import delivery_attempt, webhook_deliveries_due
from portfolio.tasks import RETRY

# The row counts the attempts; the task only needs room for them and a few database retries.
DELIVERY_RETRY = {**RETRY, "max_retries": settings.FLYWHEEL_WEBHOOK_MAX_ATTEMPTS + 3}


@shared_task(bind=True, name="integrations.tasks.webhook_deliver", **DELIVERY_RETRY)
def webhook_deliver(self, delivery_id: int) -> dict:
    """POST one delivery; a transient failure is tried again after the back-off (the attempt
    limit is counted on the row, FLYWHEEL_WEBHOOK_MAX_ATTEMPTS)."""
    attempt = delivery_attempt(delivery_id=delivery_id)
    waiting = attempt.status == DeliveryStatus.PENDING and attempt.retry_in is not None
    # In-process (no broker) a task cannot wait: the due-deliveries job retries it.
    if waiting and not self.request.is_eager:
        raise self.retry(countdown=attempt.retry_in)
    return {"status": attempt.status, "attempts": attempt.attempts}


@shared_task(name="integrations.tasks.webhook_deliveries_retry", **RETRY)
def webhook_deliveries_retry() -> dict:
    """Send the deliveries whose retry is due or whose task was lost (every minute)."""
    due = webhook_deliveries_due()
    for delivery_id in due:
        jobs.send_or_record(webhook_deliver, {"delivery_id": delivery_id})
    return {"sent": len(due)}
