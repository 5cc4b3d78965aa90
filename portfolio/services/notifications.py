"""In-app notifications and their e-mail: kept in the app at once (in bulk), mailed by a job
after the commit, never in the request.

Each person chooses per kind: at once, a daily digest, or off (NotificationPreference; no
row means at once). The mail job sends each person one message for everything pending (a
sweep that raises a hundred flags sends one message listing them), in batches over one
mail connection. ``notifications_batched`` holds the job back until a whole sweep is done.

Each person reads in the language of their profile (portfolio.language): a subject and body
built lazily (``format_lazy(gettext_lazy(...))``) are written out once per recipient in theirs,
and their e-mail is composed in it.
"""

import contextlib
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.events import event_types
from core.jobs import JobSlot
from portfolio.language import languages_of, mail_language
from portfolio.models import Delivery, Notification, NotificationPreference

logger = logging.getLogger(__name__)

MAIL_BATCH = 100
MARK_CHUNK = 2000
LISTED_IN_ONE_MESSAGE = 50
_batch = threading.local()


@dataclass(frozen=True)
class Message:
    """One notification to one person, before it is stored."""

    recipient: object
    kind: str
    subject: str | Promise
    body: str | Promise = ""
    use_case: object = None
    link: str = ""


# The job that mails what was sent; portfolio's ready() fills it with its task.
MAIL_JOB = JobSlot("notifications mail")


def _mail_job_on_commit() -> None:
    MAIL_JOB.enqueue_on_commit()


@contextlib.contextmanager
def notifications_batched():
    """Collect the notifications of a block (a sweep of many kinds) and start the mail job once
    at its end, so each person gets one message for the whole block."""
    depth = getattr(_batch, "depth", 0)
    _batch.depth = depth + 1
    if depth == 0:
        _batch.pending = False
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0 and _batch.pending:
            _batch.pending = False
            _mail_job_on_commit()


def deliveries_for(*, user_ids: Iterable[int], kinds: Iterable[str]) -> dict:
    """(user id, kind) -> delivery chosen, for the pairs that have a row (1 query)."""
    rows = NotificationPreference.objects.filter(user_id__in=set(user_ids), kind__in=set(kinds))
    return {(r.user_id, r.kind): r.delivery for r in rows}


_RECIPIENT = Notification._meta.get_field("recipient")
_USE_CASE = Notification._meta.get_field("use_case")


def _notification(message: Message, delivery: str, language: str) -> Notification:
    """The unsaved notification of a message, in the recipient's language. Built from ids, the
    person and the use case then cached as the relation's value: assigning model instances
    runs per-row checks that cost more than the insert itself at a sweep's scale."""
    use_case = message.use_case
    subject, body = message.subject, message.body
    if isinstance(subject, Promise) or isinstance(body, Promise):
        with translation.override(mail_language(language)):
            subject, body = str(subject), str(body)
    notification = Notification(
        recipient_id=message.recipient.pk,
        kind=message.kind,
        subject=subject[:200],
        body=body,
        use_case_id=None if use_case is None else use_case.pk,
        link=message.link,
        delivery=delivery,
    )
    _RECIPIENT.set_cached_value(notification, message.recipient)
    if use_case is not None:
        _USE_CASE.set_cached_value(notification, use_case)
    return notification


@transaction.atomic
def notifications_send(*, messages: Iterable[Message]) -> list[Notification]:
    """Store many notifications in one insert (each person once per kind and subject) and
    start the mail job after commit if any is to be mailed at once."""
    unique = {}
    for message in messages:
        user = message.recipient
        if user is None or not user.is_active:
            continue
        unique.setdefault((user.pk, message.kind, message.subject), message)
    if not unique:
        return []
    chosen = deliveries_for(
        user_ids={pk for pk, _, _ in unique}, kinds={kind for _, kind, _ in unique}
    )
    lazy = any(
        isinstance(m.subject, Promise) or isinstance(m.body, Promise) for m in unique.values()
    )
    languages = languages_of(pk for pk, _, _ in unique) if lazy else {}
    created = Notification.objects.bulk_create(
        [
            _notification(m, chosen.get((pk, kind), Delivery.AT_ONCE), languages.get(pk, ""))
            for (pk, kind, _), m in unique.items()
        ],
        # One insert whatever the number (SQLite's parameter limit splits it by itself).
        batch_size=None,
    )
    if any(n.delivery == Delivery.AT_ONCE for n in created):
        if getattr(_batch, "depth", 0):
            _batch.pending = True
        else:
            _mail_job_on_commit()
    return created


def notification_send(
    *,
    recipients: Iterable,
    kind: str,
    subject: str | Promise,
    body: str | Promise = "",
    use_case=None,
    link="",
) -> list[Notification]:
    """Keep a notification for each distinct recipient; mailed after commit as they chose."""
    if use_case is not None and not link:
        link = f"/use-cases/{use_case.pk}/"
    return notifications_send(
        messages=[
            Message(
                recipient=user, kind=kind, subject=subject, body=body, use_case=use_case, link=link
            )
            for user in recipients
        ]
    )


def _site(link: str) -> str:
    return f"{settings.FLYWHEEL_SITE_URL.rstrip('/')}{link}"


def _compose(
    email: str, shown: list[Notification], total: int, *, digest: bool, language: str = ""
) -> EmailMessage:
    """One message for one person, in their language: a single notification as itself,
    several as a list (the first ``shown`` of ``total``)."""
    with translation.override(mail_language(language)):
        return _composed(email, shown, total, digest=digest)


def _composed(email: str, shown: list[Notification], total: int, *, digest: bool) -> EmailMessage:
    if total == 1 and not digest:
        n = shown[0]
        subject, body = n.subject, f"{n.body}\n\n{_site(n.link)}".strip()
    elif digest:
        subject = ngettext(
            "Your daily digest: %(count)d item", "Your daily digest: %(count)d items", total
        ) % {"count": total}
    else:
        subject = ngettext("%(count)d new notification", "%(count)d new notifications", total) % {
            "count": total
        }
    if total > 1 or digest:
        lines = [f"- {n.subject}  {_site(n.link)}" for n in shown[:LISTED_IN_ONE_MESSAGE]]
        if total > LISTED_IN_ONE_MESSAGE:
            lines.append(
                _("... and %(more)d more: %(link)s")
                % {"more": total - LISTED_IN_ONE_MESSAGE, "link": _site("/inbox/")}
            )
        body = "\n".join(lines)
    return EmailMessage(
        subject=f"[Flywheel] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )


def _skip_locked() -> bool:
    from django.db import connection

    # PostgreSQL: two mail jobs at once never take the same notifications.
    return connection.features.has_select_for_update_skip_locked


def _mail_batch(pending, emails: list[str], connection, *, digest: bool) -> tuple[int, int]:
    """Mail one batch of people (one message each) and mark what they were sent, in one
    transaction: only ids are read for all of a person's notifications, whole rows for the
    ones the message lists. Messages sent and notifications they covered."""
    with transaction.atomic():
        rows = pending.filter(recipient__email__in=emails).order_by(
            "recipient_id", "created_at", "id"
        )
        if _skip_locked():
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        by_person: dict[str, list[int]] = defaultdict(list)
        language: dict[str, str] = {}
        for pk, email, chosen in rows.values_list(
            "pk", "recipient__email", "recipient__profile__language"
        ):
            by_person[email].append(pk)
            language[email] = chosen or ""
        if not by_person:
            return 0, 0
        shown = Notification.objects.in_bulk(
            [pk for ids in by_person.values() for pk in ids[:LISTED_IN_ONE_MESSAGE]]
        )
        connection.send_messages(
            [
                _compose(
                    email,
                    [shown[pk] for pk in ids[:LISTED_IN_ONE_MESSAGE]],
                    len(ids),
                    digest=digest,
                    language=language[email],
                )
                for email, ids in by_person.items()
            ]
        )
        ids = [pk for ids in by_person.values() for pk in ids]
        now = timezone.now()
        for start in range(0, len(ids), MARK_CHUNK):
            Notification.objects.filter(pk__in=ids[start : start + MARK_CHUNK]).update(
                emailed_at=now
            )
    return len(by_person), len(ids)


def _mail(delivery: str, *, digest: bool) -> dict:
    """Mail every pending notification of ``delivery``: one message per person, in batches
    over one connection, each batch marked sent (and committed) once the server took it.
    Memory stays bounded by the batch, whatever the number pending."""
    pending = Notification.objects.filter(delivery=delivery, emailed_at__isnull=True).exclude(
        recipient__email=""
    )
    emails = list(
        pending.order_by("recipient__email").values_list("recipient__email", flat=True).distinct()
    )
    sent = notified = 0
    if not emails:
        return {"messages": 0, "notifications": 0}
    with get_connection() as connection:
        for start in range(0, len(emails), MAIL_BATCH):
            messages, covered = _mail_batch(
                pending, emails[start : start + MAIL_BATCH], connection, digest=digest
            )
            sent, notified = sent + messages, notified + covered
    return {"messages": sent, "notifications": notified}


def notifications_mail() -> dict:
    """Mail the notifications people want at once (the job after each commit, and a catch-up)."""
    return _mail(Delivery.AT_ONCE, digest=False)


def notifications_digest() -> dict:
    """Mail each person who chose a daily digest one message listing what arrived (daily)."""
    return _mail(Delivery.DAILY, digest=True)


def notification_kinds() -> list[tuple[str, str]]:
    """The kinds a person may set a preference for: the event types that notify people."""
    return [(t.code, t.label) for t in event_types() if t.notifies_people]


@transaction.atomic
def notification_preference_set(*, user, kind: str, delivery: str) -> NotificationPreference:
    """Choose how one kind of notification reaches the person by e-mail."""
    if kind not in dict(notification_kinds()):
        raise ValidationError({"kind": [_("Not a kind of notification.")]})
    if delivery not in Delivery.values:
        raise ValidationError(
            {"delivery": [_("Choose one of %(kinds)s.") % {"kinds": ", ".join(Delivery.values)}]}
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return preference


def notification_preferences(*, user) -> list[dict]:
    """Every kind with the person's choice (at once where they chose nothing; 1 query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        {"kind": code, "label": label, "delivery": chosen.get(code, Delivery.AT_ONCE)}
        for code, label in notification_kinds()
    ]


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("That notification is somebody else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read (one update); how many were."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
