"""What every app's pages share (core.web): the navigation on a page another app renders, and
the one way a page action reports its outcome."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from core.errors import ConflictError
from core.web.actions import page_action


class DueForm(forms.Form):
    due_date = forms.DateField(label="Due by")


def _request():
    request = RequestFactory().post("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[str, str]]:
    return [(message.level_tag, message.message) for message in get_messages(request)]


def test_an_invalid_form_is_reported_by_its_labels_and_the_service_is_not_called():
    request, called = _request(), []

    response = page_action(
        request,
        form=DueForm({"due_date": "soon"}),
        call=called.append,
        done="Saved.",
        to="/page/",
    )

    assert (response.status_code, response.url, called) == (302, "/page/", [])
    assert _said(request) == [("error", "Due by: Enter a valid date.")]


@pytest.mark.parametrize(
    ("refusal", "said"),
    [
        (ValidationError({"due_date": ["Not before go-live."]}), "Due by: Not before go-live."),
        (ValidationError("A final artifact cannot be empty."), "A final artifact cannot be empty."),
        (ConflictError("The review is closed.", code="review_closed"), "The review is closed."),
        (PermissionDenied("Only the chair closes."), "Only the chair closes."),
    ],
)
def test_a_service_refusal_is_one_message_and_goes_where_refusals_go(refusal, said):
    request = _request()

    def refuse(data):
        raise refusal

    response = page_action(
        request,
        form=DueForm({"due_date": "2026-03-01"}),
        call=refuse,
        done="Saved.",
        to="/page/",
        refused_to=lambda error: "/form/" if isinstance(error, ValidationError) else "/page/",
    )

    assert _said(request) == [("error", said)]
    assert response.url == ("/form/" if isinstance(refusal, ValidationError) else "/page/")


def test_success_says_what_the_service_returned():
    request = _request()

    response = page_action(
        request,
        form=DueForm({"due_date": "2026-03-01"}),
        call=lambda data: data["due_date"].isoformat(),
        done=lambda result: f"Due {result}.",
        to="/page/",
    )

    assert (response.url, _said(request)) == ("/page/", [("success", "Due 2026-03-01.")])


def test_a_compliance_page_carries_the_same_navigation_as_a_console_page(client, head):
    client.force_login(head)

    console = client.get(reverse("my-department")).content.decode()
    compliance = client.get(reverse("compliance:crosswalk")).content.decode()

    def nav(html: str) -> str:
        return html[html.index('<nav aria-label="Main">') : html.index("</nav>")]

    assert 'href="/department/"' in nav(console)
    assert nav(compliance).replace(' aria-current="page"', "") == nav(console).replace(
        ' aria-current="page"', ""
    )
