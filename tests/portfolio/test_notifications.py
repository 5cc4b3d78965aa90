"""Notifications: kept in bulk, mailed by a job after commit, one message per person, in
batches over one connection; per-kind preferences (at once, daily digest, off); a first sweep
over 2,000 use cases sends each recipient one message."""

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from rest_framework.test import APIClient

from console.demo.scale import generate_synthetic
from portfolio.models import Delivery, Notification
from portfolio.services import notifications
from portfolio.services.flags import flags_sweep
from portfolio.services.velocity import velocity_recompute
from portfolio.tasks import notifications_digest, notifications_mail
from tests import factories

pytestmark = pytest.mark.django_db


class CountingBackend(EmailBackend):
    """The in-memory backend, counting the connections opened and the batches sent."""

    opened = 0
    batches = 0

    def open(self):
        CountingBackend.opened += 1
        return True

    def send_messages(self, messages):
        CountingBackend.batches += 1
        return super().send_messages(messages)


@pytest.fixture
def counting_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened = CountingBackend.batches = 0
    return CountingBackend


def send(people, kind="flag_raised", subject="Stale metrics: Claims triage"):
    return notifications.notification_send(recipients=people, kind=kind, subject=subject)


def test_nothing_is_mailed_until_the_job_runs(django_capture_on_commit_callbacks, mailoutbox):
    person = factories.UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        send([person])
    assert mailoutbox == []
    assert len(callbacks) == 1  # the mail job, enqueued after commit

    for callback in callbacks:
        callback()
    (message,) = mailoutbox
    assert message.to == [person.email]
    assert message.subject == "[Flywheel] Stale metrics: Claims triage"


def test_many_notifications_make_one_message_per_person_on_one_connection(
    counting_mail, mailoutbox
):
    people = [factories.UserFactory() for _ in range(250)]
    for n in range(3):
        send(people, subject=f"Flag {n}")

    result = notifications_mail()

    assert result == {"messages": 250, "notifications": 750}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    assert {m.subject for m in mailoutbox} == {"[Flywheel] 3 new notifications"}
    assert "Flag 0" in mailoutbox[0].body and "Flag 2" in mailoutbox[0].body
    # 250 messages in batches of 100, over one connection.
    assert (counting_mail.opened, counting_mail.batches) == (1, 3)
    assert notifications_mail() == {"messages": 0, "notifications": 0}


def test_a_daily_digest_waits_for_the_digest_job_and_off_is_never_mailed(mailoutbox):
    digest, silent, eager = (factories.UserFactory() for _ in range(3))
    notifications.notification_preference_set(user=digest, kind="flag_raised", delivery="daily")
    notifications.notification_preference_set(user=silent, kind="flag_raised", delivery="off")
    send([digest, silent, eager], subject="One")
    send([digest, silent, eager], subject="Two")

    notifications_mail()
    assert [m.to for m in mailoutbox] == [[eager.email]]

    notifications_digest()
    assert [m.to for m in mailoutbox] == [[eager.email], [digest.email]]
    assert mailoutbox[1].subject == "[Flywheel] Your daily digest: 2 items"
    assert Notification.objects.filter(recipient=silent).count() == 2  # kept in the app
    assert not Notification.objects.filter(recipient=silent, emailed_at__isnull=False).exists()


def test_preferences_are_per_kind(mailoutbox):
    person = factories.UserFactory()
    notifications.notification_preference_set(user=person, kind="flag_raised", delivery="off")
    send([person], kind="flag_raised", subject="A flag")
    send([person], kind="decision_made", subject="A decision")

    notifications_mail()

    assert [m.subject for m in mailoutbox] == ["[Flywheel] A decision"]


@pytest.mark.parametrize("size", [5, 60])
def test_storing_notifications_takes_the_same_queries_for_any_number(
    size, django_assert_num_queries
):
    people = [factories.UserFactory() for _ in range(size)]
    # One query for the preferences, one insert (a savepoint pair around it).
    with django_assert_num_queries(4):
        send(people)
    assert Notification.objects.count() == size


def test_unknown_kind_or_delivery_is_refused_per_field():
    person = factories.UserFactory()
    api = APIClient()
    api.force_authenticate(person)

    assert api.put(
        "/api/notification-preferences/", {"kind": "flag_raised", "delivery": "weekly"}
    ).json()["fields"].keys() == {"delivery"}
    refused = api.put("/api/notification-preferences/", {"kind": "nonsense", "delivery": "off"})
    assert refused.status_code == 400
    assert refused.json()["fields"].keys() == {"kind"}


def test_the_api_lists_and_sets_my_preferences():
    person = factories.UserFactory()
    api = APIClient()
    api.force_authenticate(person)

    response = api.put(
        "/api/notification-preferences/", {"kind": "flag_raised", "delivery": "daily"}
    )

    assert response.status_code == 200
    rows = {row["kind"]: row["delivery"] for row in response.json()}
    assert rows["flag_raised"] == "daily"
    assert rows["decision_made"] == "at_once"
    assert {"review_requested", "sign_off_requested", "webhook_disabled"} <= rows.keys()


def test_the_preferences_page_saves_a_choice(client):
    person = factories.UserFactory()
    client.force_login(person)

    page = client.get(reverse("notification-preferences"))
    assert b"Daily digest" in page.content
    response = client.post(reverse("notification-preferences"), {"decision_made": "off"})

    assert response.status_code == 302
    assert notifications.deliveries_for(user_ids=[person.pk], kinds=["decision_made"]) == {
        (person.pk, "decision_made"): Delivery.OFF
    }


def test_a_first_sweep_raising_over_2000_flags_sends_each_recipient_one_message(
    counting_mail, mailoutbox, django_capture_on_commit_callbacks
):
    # The synthetic portfolio is realistic (most use cases are healthy), so it takes about
    # 4,000 use cases, with their own heads and outcome owners, to raise 2,000 flags.
    generate_synthetic(count=4000, departments=5, progress=False)
    velocity_recompute()

    with django_capture_on_commit_callbacks(execute=True):
        results = flags_sweep()

    raised = sum(r.raised for r in results.values())
    assert raised > 2000  # flags on thousands of use cases, of several kinds
    recipients = set(
        Notification.objects.exclude(recipient__email="").values_list("recipient__email", flat=True)
    )
    assert len(recipients) > 5  # heads and outcome owners
    assert sorted(m.to[0] for m in mailoutbox) == sorted(recipients)  # one message each
    assert counting_mail.opened == 1
    for message in mailoutbox:
        own = Notification.objects.filter(recipient__email=message.to[0]).count()
        assert message.subject == f"[Flywheel] {own} new notifications"
