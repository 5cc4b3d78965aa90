"""In-app notifications, e-mailed through Django's mail settings after the commit."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portfolio.models import Notification

logger = logging.getLogger(__name__)


def _email(notification_ids: list[int]) -> None:
    """Send the e-mails; a failing mail server loses no notification (it stays in the app)."""
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for notification in pending.select_related("recipient"):
        if not notification.recipient.email:
            continue
        try:
            send_mail(
                subject=f"[Flywheel] {notification.subject}",
                message=f"{notification.body}\n\n{settings.FLYWHEEL_SITE_URL}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except OSError:
            logger.exception("e-mail for notification %s failed", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


@transaction.atomic
def notification_send(
    *, recipients: Iterable, kind: str, subject: str, body: str = "", use_case=None
) -> list[Notification]:
    """Keep a notification for each distinct recipient and e-mail them after commit."""
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, subject=subject, body=body, use_case=use_case)
        for user in unique.values()
    )
    ids = [n.pk for n in created]
    # robust: a mail step that fails after the commit is logged, never a 500 for the change.
    transaction.on_commit(lambda: _email(ids), robust=True)
    return created


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("That notification is somebody else's.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
