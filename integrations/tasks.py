"""Celery task of the integrations: one delivery attempt, retried with back-off.

Idempotent (acks_late redelivers after a worker dies): an attempt on a delivered row does
nothing, so the log holds each event once per endpoint whatever the redeliveries.
"""

from celery import shared_task
from django.conf import settings

from integrations.models import DeliveryStatus
from integrations.services import delivery_attempt
from portfolio.tasks import RETRY

# The row counts the attempts; the task only needs room for them and a few database retries.
DELIVERY_RETRY = {**RETRY, "max_retries": settings.FLYWHEEL_WEBHOOK_MAX_ATTEMPTS + 3}


@shared_task(bind=True, name="integrations.tasks.webhook_deliver", **DELIVERY_RETRY)
def webhook_deliver(self, delivery_id: int) -> dict:
    """POST one delivery; a transient failure is tried again after the back-off (the attempt
    limit is counted on the row, FLYWHEEL_WEBHOOK_MAX_ATTEMPTS)."""
    attempt = delivery_attempt(delivery_id=delivery_id)
    if attempt.status == DeliveryStatus.PENDING and attempt.retry_in is not None:
        raise self.retry(countdown=attempt.retry_in)
    return {"status": attempt.status, "attempts": attempt.attempts}
