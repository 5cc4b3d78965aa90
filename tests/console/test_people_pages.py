"""Issue 15's pages: refusals in the layout with their reason, heads reading their reviews,
browsing other departments and reusing their work, discarding drafts, a labelled intake."""

import logging
import re
import sys

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from config.log_filters import OneLineRefusals
from portfolio.choices import State
from portfolio.models import UseCase
from tests import factories
from tests.support.console import open_review

pytestmark = pytest.mark.django_db


def test_a_refusal_is_a_page_in_the_layout_with_its_reason_and_a_way_back(client, head):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("my-department"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "These pages are for department heads." in body
    assert 'href="/"' in body and 'class="topbar"' in body and "skip-link" in body


def test_not_found_is_a_page_in_the_layout(client, head):
    client.force_login(head)
    response = client.get("/use-cases/999999/")
    assert response.status_code == 404
    assert "Nothing here" in response.content.decode()
    assert client.get("/api/use-cases/999999/").json()["code"] == "not_found"


def test_the_unavailable_page_asks_nothing_of_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        body = render_to_string("503.html", {}, request=request)
    assert "briefly unavailable" in body and "Try again" in body


def test_an_expected_refusal_is_logged_as_one_line():
    try:
        raise PermissionError("Only the department's head manages this use case.")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Forbidden (Permission denied): %s",
        ("/use-cases/3/",),
        exc_info,
    )
    record.status_code = 403
    OneLineRefusals().filter(record)
    text = logging.Formatter().format(record)
    assert text == (
        "Forbidden (Permission denied): /use-cases/3/ "
        "(Only the department's head manages this use case.)"
    )
    crash = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), exc_info)
    crash.status_code = 500
    OneLineRefusals().filter(crash)
    assert "Traceback" in logging.Formatter().format(crash)


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_a_head_reads_the_full_review_of_their_own_use_case_but_not_anothers(
    client, department, head, other_head, board
):
    review = open_review(department, head, hours_ago=2)
    client.force_login(head)
    page = client.get(reverse("use-case-detail", args=[review.use_case_id]))
    assert reverse("review-detail", args=[review.pk]) in page.content.decode()
    response = client.get(reverse("review-detail", args=[review.pk]))
    assert response.status_code == 200
    assert not response.context["may_vote"] and not response.context["may_close"]
    assert "scorecard-reason" in response.content.decode()
    client.force_login(other_head)
    assert client.get(reverse("review-detail", args=[review.pk])).status_code == 403


def test_heads_browse_other_departments_submitted_use_cases_but_never_their_drafts(
    client, department, head, other_head
):
    live = factories.submitted(department, head, title="Claims triage")
    factories.UseCaseFactory(department=department, title="A secret draft")
    client.force_login(other_head)
    body = client.get(reverse("use-case-browse")).content.decode()
    assert "Claims triage" in body and "A secret draft" not in body
    assert f"?template={live.pk}" in body
    assert client.get(reverse("use-case-detail", args=[live.pk])).status_code == 200


def test_a_new_use_case_starts_from_another_departments_as_a_template(
    client, department, head, other_head, other_department
):
    source = factories.submitted(department, head, title="Claims triage")
    metric_names = sorted(source.metrics.values_list("name", flat=True))
    client.force_login(other_head)
    response = client.get(reverse("use-case-new") + f"?template={source.pk}")
    form = response.context["form"]
    assert form.initial["template"] == source.pk
    assert form.initial["problem_statement"] == source.problem_statement
    # The only department this head heads is preselected.
    assert form.initial["department"] == other_department.pk
    rows = response.context["metrics"].initial
    assert sorted(row["name"] for row in rows) == metric_names
    draft = factories.UseCaseFactory(department=department, title="Not to be reused")
    assert client.get(reverse("use-case-new") + f"?template={draft.pk}").status_code == 404


def test_a_draft_is_discarded_and_a_submitted_use_case_is_not(client, department, head):
    draft = factories.UseCaseFactory(department=department)
    client.force_login(head)
    page = client.get(reverse("use-case-detail", args=[draft.pk])).content.decode()
    assert "Discard draft" in page
    # Only what applies to a draft: no scale memo form, the diagnostic in words.
    assert "artifact-form" not in page and "notapplicable" not in page
    assert "not applicable" in page
    client.post(reverse("use-case-discard", args=[draft.pk]))
    assert not UseCase.objects.filter(pk=draft.pk).exists()
    live = factories.submitted(department, head)
    assert (
        "Discard draft"
        not in client.get(reverse("use-case-detail", args=[live.pk])).content.decode()
    )
    response = client.post(reverse("use-case-discard", args=[live.pk]), follow=True)
    assert UseCase.objects.get(pk=live.pk).state == State.SUBMITTED
    assert "Only drafts can be deleted" in " ".join(str(m) for m in response.context["messages"])


def test_another_head_cannot_discard(client, department, head, other_head):
    draft = factories.UseCaseFactory(department=department)
    client.force_login(other_head)
    assert client.post(reverse("use-case-discard", args=[draft.pk])).status_code == 404
    assert UseCase.objects.filter(pk=draft.pk).exists()


def test_every_intake_input_has_a_label_and_the_sponsor_is_an_executive(client, head):
    executive = factories.executive(username="the-sponsor")
    bystander = factories.UserFactory(username="not-an-exec")
    client.force_login(head)
    response = client.get(reverse("use-case-new"))
    body = response.content.decode()
    body = body.split("<template>")[0] + body.split("</template>")[-1]
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', body)
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', body))
    assert len(ids) > 40
    assert [i for i in ids if i not in labelled] == []
    sponsors = list(response.context["form"].fields["sponsor"].queryset)
    assert executive in sponsors and bystander not in sponsors
    assert 'data-formset="metrics"' in body and "flywheel/formset.js" in body


def test_a_technical_metric_chooses_its_business_metric_from_the_rows(client, department, head):
    use_case = factories.UseCaseFactory(department=department)
    client.force_login(head)
    response = client.get(reverse("use-case-edit", args=[use_case.pk]))
    business = [m.name for m in use_case.metrics.all() if m.kind == "business"]
    empty = response.context["metrics"].empty_form
    choices = [value for value, _ in empty.fields["pairs_with"].widget.choices]
    assert choices == ["", *business]


def test_a_close_error_reads_as_a_sentence_without_the_field_key(
    client, department, head, chair, members
):
    review = open_review(department, head, hours_ago=2)
    for user in (chair, *members):
        client.force_login(user)
        client.post(
            reverse("review-vote", args=[review.pk]),
            {"choice": "conditional_go", "comment": "If it holds."},
        )
    client.force_login(chair)
    response = client.post(
        reverse("review-close", args=[review.pk]),
        {"rationale": "With a condition."},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert "A conditional go names at least one condition." in said
    assert not any(m.startswith("conditions") for m in said)


def test_a_metric_with_one_reading_shows_its_date_and_value(department, head):
    """One reading still draws: its date on the axis and in the chart's data table."""
    import datetime as dt

    from reports.charts import metric_chart

    use_case = factories.submitted(department, head)
    metric = use_case.metrics.first()
    at = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    reading = factories.ReadingFactory(metric=metric, measured_at=at)
    metric.readings_so_far = [reading]
    svg = str(metric_chart(metric))
    assert "2026-03-01" in svg
    assert f"{reading.value} {metric.unit}" in svg
    assert "No readings yet." not in svg
