"""Every write of the integrations app: registering endpoints, recording deliveries for the
events the domain publishes, and each delivery attempt with its outcome.

Exactly once in the log: one delivery row per (endpoint, event), written in the publishing
transaction. An attempt claims the row for a bounded time, so a redelivered task (its worker
died) finds the row delivered and does nothing, or the claim lapsed and tries again. The
receiver may see a request twice only if a worker died between its answer and the log
update; the delivery id header lets it drop the second.
"""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.events import Event, event_publish, event_types
from core.roles import ADMINISTRATORS_GROUP, roles_of
from integrations import formats, signing
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portfolio.services import notification_send

# The delivery of one webhook; integrations' ready() fills it with its task.
DELIVERY_JOB = jobs.JobSlot("webhook delivery")

ENDPOINT_FIELDS = frozenset(
    {"name", "url", "kind", "secret", "event_types", "department", "board", "active"}
)


def _require_admin(actor) -> None:
    if actor is not None and not roles_of(actor).is_admin:
        raise PermissionDenied(_("Only portfolio administrators manage webhooks."))


def _check_event_types(values) -> None:
    known = {t.code for t in event_types()}
    if not isinstance(values, list) or not values:
        raise ValidationError({"event_types": [_("Name at least one event type.")]})
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValidationError(
            {
                "event_types": [
                    _("Unknown event types: %(unknown)s; known: %(values)s.")
                    % {"unknown": ", ".join(unknown), "values": ", ".join(sorted(known))}
                ]
            }
        )


@transaction.atomic
def webhook_endpoint_save(
    *, actor, endpoint: WebhookEndpoint | None = None, **fields
) -> WebhookEndpoint:
    """Register an endpoint or change one (administrators). Re-activating it clears its
    failure count."""
    _require_admin(actor)
    unknown = set(fields) - ENDPOINT_FIELDS
    if unknown:
        raise ValidationError({name: ["Not a webhook field."] for name in sorted(unknown)})
    endpoint = endpoint or WebhookEndpoint(created_by=actor)
    was_active = endpoint.active if endpoint.pk else False
    for name, value in fields.items():
        setattr(endpoint, name, value)
    if "event_types" in fields or endpoint.pk is None:
        _check_event_types(endpoint.event_types)
    endpoint.full_clean(exclude=["created_by"])
    if endpoint.active and not was_active:
        endpoint.consecutive_failures, endpoint.disabled_at, endpoint.disabled_reason = 0, None, ""
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_enable(*, actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Turn a disabled endpoint back on, with a clean failure count."""
    return webhook_endpoint_save(actor=actor, endpoint=endpoint, active=True)


def webhooks_record(events: list[Event]) -> list[WebhookDelivery]:
    """The subscriber: a delivery row per event and interested endpoint, in the publishing
    transaction, and the delivery job after commit (nothing at all if it rolls back)."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    if not endpoints:
        return []
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            event_id=event.id,
            event_type=event.type,
            payload=event.as_payload(site_url=settings.FLYWHEEL_SITE_URL),
        )
        for event in events
        for endpoint in endpoints
        if endpoint.wants(event)
    ]
    created = WebhookDelivery.objects.bulk_create(rows, batch_size=1000)
    for delivery in created:
        DELIVERY_JOB.enqueue_on_commit(delivery_id=delivery.pk)
    return created


@dataclass(frozen=True)
class Attempt:
    """What one attempt did: delivered, give up, or try again after ``retry_in`` seconds."""

    status: str
    attempts: int = 0
    retry_in: float | None = None


def backoff_seconds(attempts: int) -> float:
    """Exponential back-off after the n-th failed attempt, capped at an hour."""
    base = settings.FLYWHEEL_WEBHOOK_BACKOFF_SECONDS
    return min(base * 2 ** (attempts - 1), 3600)


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the signed body; the HTTP status (None when nothing answered) and an error."""
    body = json.dumps(
        formats.body_for(endpoint.kind, delivery.payload), separators=(",", ":"), sort_keys=True
    ).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Flywheel-Webhooks/1",
            "X-Flywheel-Event": delivery.event_type,
            "X-Flywheel-Delivery": delivery.event_id,
            signing.TIMESTAMP_HEADER: str(timestamp),
            signing.SIGNATURE_HEADER: signing.signature(
                secret=endpoint.secret, timestamp=timestamp, body=body
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.FLYWHEEL_WEBHOOK_TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return None, str(getattr(exc, "reason", exc))[:400] or exc.__class__.__name__


def lease_seconds() -> float:
    """How long an attempt holds its row: the answer's timeout, twice, and a margin."""
    return 2 * settings.FLYWHEEL_WEBHOOK_TIMEOUT + 5


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    lease = now + timedelta(seconds=lease_seconds())
    claimed = WebhookDelivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        pk=delivery_id,
        status=DeliveryStatus.PENDING,
    ).update(claimed_until=lease, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def delivery_attempt(*, delivery_id: int) -> Attempt:
    """Try one delivery once and log the outcome: 2xx delivered; 5xx, 429, a timeout or no
    answer is retried with back-off up to the attempt limit; another 4xx fails at once."""
    delivery = _claim(delivery_id)
    if delivery is None:
        current = WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True)
        status = current.first() or "gone"
        # Pending but held by another attempt (or one whose worker died): look again once
        # its hold lapses.
        retry_in = lease_seconds() if status == DeliveryStatus.PENDING else None
        return Attempt(status=status, retry_in=retry_in)
    endpoint = delivery.endpoint
    if not endpoint.active:
        _finish(
            delivery,
            status=DeliveryStatus.FAILED,
            code=None,
            ms=None,
            error="The endpoint is disabled.",
        )
        return Attempt(status=DeliveryStatus.FAILED, attempts=delivery.attempts)
    started = time.monotonic()
    code, error = _post(endpoint, delivery)
    ms = int((time.monotonic() - started) * 1000)
    if code is not None and 200 <= code < 300:
        _finish(delivery, status=DeliveryStatus.DELIVERED, code=code, ms=ms, error="")
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return Attempt(status=DeliveryStatus.DELIVERED, attempts=delivery.attempts)
    transient = code is None or code >= 500 or code == 429
    if transient and delivery.attempts < settings.FLYWHEEL_WEBHOOK_MAX_ATTEMPTS:
        wait = backoff_seconds(delivery.attempts)
        _finish(
            delivery,
            status=DeliveryStatus.PENDING,
            code=code,
            ms=ms,
            error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=wait),
        )
        return Attempt(status=DeliveryStatus.PENDING, attempts=delivery.attempts, retry_in=wait)
    _finish(delivery, status=DeliveryStatus.FAILED, code=code, ms=ms, error=error)
    endpoint_failed(endpoint_id=endpoint.pk)
    return Attempt(status=DeliveryStatus.FAILED, attempts=delivery.attempts)


def _finish(
    delivery, *, status: str, code: int | None, ms: int | None, error: str, next_attempt_at=None
) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=next_attempt_at,
        status=status,
        response_status=code,
        response_ms=ms,
        last_error=error[:400],
        claimed_until=None,
        delivered_at=timezone.now() if status == DeliveryStatus.DELIVERED else None,
    )


def webhook_deliveries_due(*, limit: int = 1000) -> list[int]:
    """Pending deliveries whose next attempt is due and that no attempt holds: retries the
    scheduled job sends (without a broker the tasks run in-process and cannot wait), and
    deliveries whose task was lost (queued more than a minute ago, never tried)."""
    now = timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lt=now - timedelta(minutes=1)),
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            status=DeliveryStatus.PENDING,
            endpoint__active=True,
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def endpoint_failed(*, endpoint_id: int) -> WebhookEndpoint:
    """Count a delivery that failed for good; after FLYWHEEL_WEBHOOK_DISABLE_AFTER in a row
    the endpoint is disabled and the administrators are told."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    endpoint.consecutive_failures += 1
    limit = settings.FLYWHEEL_WEBHOOK_DISABLE_AFTER
    disabled_now = endpoint.active and endpoint.consecutive_failures >= limit
    if disabled_now:
        endpoint.active = False
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = f"{endpoint.consecutive_failures} deliveries failed in a row."
        admins = (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(groups__name=ADMINISTRATORS_GROUP), is_active=True
            )
            .distinct()
        )
        notification_send(
            recipients=admins,
            kind="webhook_disabled",
            subject=f"Webhook '{endpoint.name}' disabled",
            body=f"{endpoint.disabled_reason} Check {endpoint.url} and enable it again in "
            "the admin.",
            link=f"/admin/integrations/webhookendpoint/{endpoint.pk}/change/",
        )
    endpoint.save(
        update_fields=["consecutive_failures", "active", "disabled_at", "disabled_reason"]
    )
    if disabled_now:
        # After the save: the endpoint that stopped is not among those told.
        event_publish(
            "webhook_disabled",
            title=f"Webhook '{endpoint.name}' disabled",
            summary=endpoint.disabled_reason,
            data={
                "endpoint_id": endpoint.pk,
                "consecutive_failures": endpoint.consecutive_failures,
            },
            path=f"/admin/integrations/webhookendpoint/{endpoint.pk}/change/",
        )
    return endpoint
