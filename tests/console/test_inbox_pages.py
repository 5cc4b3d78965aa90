"""My actions as a page: unread notifications marked, opened (and so read) one at a time or
all marked read at once, an empty state that says what would appear; the preferences form
with a visible label on every choice."""

import re

import pytest
from django.urls import reverse

from portfolio.models import Notification
from portfolio.services import notification_send
from tests import factories

pytestmark = pytest.mark.django_db


def send(user, subject: str, **fields) -> Notification:
    return notification_send(recipients=[user], kind="decision_made", subject=subject, **fields)[0]


def items(page) -> list[str]:
    """Each notification as shown: "new " before an unread one, then its subject."""
    html = page.content.decode()
    section = html[html.index('id="notifications"') :]
    return [
        ("new " if "unread" in attrs else "") + subject
        for attrs, subject in re.findall(
            r"<li([^>]*)>(?:<span class=\"chip new\">New</span> )?<a class=\"item-title\""
            r" href=\"[^\"]+\">([^<]+)</a>",
            section,
        )
    ]


def test_unread_notifications_are_marked_and_opening_one_reads_it(client, department, head):
    use_case = factories.UseCaseFactory(department=department)
    first = send(head, "G0 decision: GO", use_case=use_case)
    second = send(head, "G1 decision: NO-GO", use_case=use_case)
    client.force_login(head)

    page = client.get(reverse("my-actions"))
    assert items(page) == ["new G1 decision: NO-GO", "new G0 decision: GO"]
    assert "2 unread" in page.content.decode()

    opened = client.get(reverse("notification-open", args=[first.pk]))

    assert opened.status_code == 302 and opened["Location"] == f"/use-cases/{use_case.pk}/"
    assert items(client.get(reverse("my-actions"))) == [
        "new G1 decision: NO-GO",
        "G0 decision: GO",
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_all_read_reads_only_mine_and_only_by_post(client, department, head, other_head):
    send(head, "One")
    send(head, "Two")
    theirs = send(other_head, "Theirs")
    client.force_login(head)

    assert client.get(reverse("notifications-read")).status_code == 405
    response = client.post(reverse("notifications-read"), follow=True)

    assert "2 notifications marked read." in response.content.decode()
    assert items(response) == ["Two", "One"]
    assert "unread" not in response.content.decode().split('id="notifications"')[1]
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_someone_elses_notification_is_not_found_and_an_outside_link_not_followed(
    client, department, head, other_head
):
    theirs = send(other_head, "Theirs")
    outside = send(head, "Phishy", link="https://elsewhere.example/")
    client.force_login(head)

    assert client.get(reverse("notification-open", args=[theirs.pk])).status_code == 404
    response = client.get(reverse("notification-open", args=[outside.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("my-actions")


def test_an_empty_inbox_says_what_would_appear(client):
    client.force_login(factories.UserFactory())

    body = client.get(reverse("my-actions")).content.decode()

    assert 'id="no-actions"' in body and "Nothing waits for you" in body
    assert 'id="no-notifications"' in body and "No notifications yet." in body
    assert "Mark all read" not in body


def test_notifications_page_by_twenty_newest_first(client, department, head):
    for n in range(23):
        send(head, f"Notice {n:02}")
    client.force_login(head)

    first = client.get(reverse("my-actions"))
    older = client.get(reverse("my-actions"), {"page": 2})

    assert len(items(first)) == 20 and items(first)[0] == "new Notice 22"
    assert items(older) == ["new Notice 02", "new Notice 01", "new Notice 00"]
    assert "21\u201323 of 23" in older.content.decode()  # an en dash between


def test_every_preference_choice_has_a_visible_label_and_saves(client, head):
    client.force_login(head)
    url = reverse("notification-preferences")

    body = client.get(url).content.decode()
    radios = re.findall(r"<input type=\"radio\"[^>]*>", body)
    labelled = re.findall(
        r"<label><input type=\"radio\"[^>]*> (At once|Daily digest|Off)</label>", body
    )
    assert len(radios) == len(labelled) >= 3
    assert body.count("<fieldset") == body.count("<legend>") == len(radios) // 3
    assert "A board decided a gate review" in body

    response = client.post(url, {"decision_made": "daily"}, follow=True)

    assert "Your notification preferences are saved." in response.content.decode()
    assert 'name="decision_made" value="daily" checked' in response.content.decode()
