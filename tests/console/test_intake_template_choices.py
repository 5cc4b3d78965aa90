"""The intake page at any portfolio size: its template select lists the most recently
submitted use cases and the chosen one, not every use case (a select of 100,000 took the
page minutes), any visible use case is still accepted, and its queries do not grow with
the portfolio."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from console.web import reuse
from portfolio.models import UseCase
from tests import factories
from tests.factories import submitted

MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS")


def options(response) -> list[int]:
    """The use cases the template select offers, in its order."""
    field = response.context["form"]["template"].field
    return [value for value, _ in field.widget.choices if value != ""]


def submit_on(department, head, count, first_day):
    return [
        submitted(department, head, at=datetime(2026, 1, first_day + i, tzinfo=UTC), title=f"T{i}")
        for i in range(count)
    ]


@pytest.mark.django_db
def test_the_template_select_lists_the_most_recent_and_the_chosen_one(
    client, head, department, monkeypatch
):
    monkeypatch.setattr(reuse, "TEMPLATE_OPTIONS", 2)
    oldest, older, newer, newest = submit_on(department, head, 4, first_day=1)
    client.force_login(head)
    # The two most recently submitted, by title.
    response = client.get(reverse("use-case-new"))
    assert options(response) == [newer.pk, newest.pk]
    assert "the 2 most recent are listed" in response.content.decode()
    # Started from the oldest: it is offered too (and chosen).
    response = client.get(reverse("use-case-new") + f"?template={oldest.pk}")
    assert options(response) == [oldest.pk, newer.pk, newest.pk]
    assert response.context["form"]["template"].value() == oldest.pk
    # One not listed is still accepted as the template of a draft.
    client.post(
        reverse("use-case-new"),
        {
            "title": "Reuse of T1",
            "department": department.pk,
            "template": older.pk,
            **{f"{prefix}-{name}": 0 for prefix in ("metrics", "gaps") for name in MANAGEMENT},
        },
    )
    assert UseCase.objects.get(title="Reuse of T1").template_id == older.pk


@pytest.mark.django_db
def test_the_intake_page_reads_a_fixed_number_of_queries(
    client, head, department, other_department
):
    other_head = factories.head_of(other_department, username="other-head")
    submit_on(department, head, 2, first_day=1)
    client.force_login(head)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("use-case-new")).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    submit_on(department, head, 5, first_day=10)
    submit_on(other_department, other_head, 5, first_day=10)
    assert queries() == few
