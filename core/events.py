"""Domain events: what happened, published by the app where it happened, heard by the apps
above that subscribe (outbound webhooks, chat). Core imports none of them.

An app registers the event types it publishes from its ready() (``event_type_register``), so
a later app adds its own (an obligation coming due) without touching this module. Services
call ``events_publish`` inside their transaction; a subscriber writes what it needs in that
same transaction (an outbox), so nothing leaves the building for a change that rolls back.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise

# The payload format's version: a receiver reads ``version`` and the schema of that version
# (integrations/schemas/<type>.v<version>.json). It changes only when a field is removed or
# its meaning changes; new optional fields keep it.
PAYLOAD_VERSION = 1


def actor_of(user) -> dict | None:
    """Who acted, as a payload names them: id, username and name; None for the system (a
    scheduled sweep, a job)."""
    if user is None or not getattr(user, "pk", None):
        return None
    username = user.get_username()
    return {"id": user.pk, "username": username, "name": user.get_full_name() or username}


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    # Whether people are notified of it in the app (and may choose how, per kind).
    notifies_people: bool = False


@dataclass(frozen=True)
class Event:
    """One thing that happened, with the scope subscribers filter on."""

    type: str
    title: str
    summary: str
    data: dict = field(default_factory=dict)
    path: str = ""
    department_id: int | None = None
    board_id: int | None = None
    # Who decided, voted, requested, signed or reported (actor_of); None: the system.
    actor: dict | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=timezone.now)

    def as_payload(self, *, site_url: str) -> dict:
        """The JSON body a subscriber sends on (stable field names, one JSON
        Schema per type and version: integrations/schemas, docs/webhooks.md)."""
        return {
            "id": self.id,
            "type": self.type,
            "version": PAYLOAD_VERSION,
            "actor": self.actor,
            "occurred_at": self.occurred_at.isoformat(),
            # Built lazily by the publisher, written in the site's language (FLYWHEEL_LANGUAGE):
            # a shared channel reads one language whoever acted.
            **_in_site_language(title=self.title, summary=self.summary),
            "link": f"{site_url.rstrip('/')}{self.path}" if self.path else site_url,
            "department_id": self.department_id,
            "board_id": self.board_id,
            "data": _plain(self.data),
        }


def _plain(value):
    """Data with any lazily translated label written out (in the site's language)."""
    if isinstance(value, Promise):
        with translation.override(settings.LANGUAGE_CODE):
            return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _in_site_language(**texts) -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {name: str(text) for name, text in texts.items()}


Subscriber = Callable[[list[Event]], None]
_types: dict[str, EventType] = {}
_subscribers: list[Subscriber] = []


def event_type_register(code: str, label: str, *, notifies_people: bool = False) -> EventType:
    """Declare an event type (from an app's ready()); registering it again changes nothing."""
    event_type = _types.setdefault(code, EventType(code, label, notifies_people))
    return event_type


def event_types() -> list[EventType]:
    """Every registered event type, in registration order."""
    return list(_types.values())


def event_subscribe(subscriber: Subscriber) -> Subscriber:
    """Register a function called with each batch of published events (from ready())."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)
    return subscriber


def has_subscribers() -> bool:
    """Whether anyone listens (a publisher may skip building events nobody hears)."""
    return bool(_subscribers)


def events_publish(events: Iterable[Event]) -> None:
    """Hand events to every subscriber, in the caller's transaction. Unknown types are a bug."""
    events = list(events)
    if not events:
        return
    unknown = {event.type for event in events} - set(_types)
    if unknown:
        raise LookupError(f"unregistered event types: {', '.join(sorted(unknown))}")
    for subscriber in _subscribers:
        subscriber(events)


def event_publish(event_type: str, **fields) -> Event:
    """Publish one event (see Event for the fields)."""
    event = Event(type=event_type, **fields)
    events_publish([event])
    return event
