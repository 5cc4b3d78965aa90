"""The incident register through the API: reported by anyone who sees the use case, refused
moments named by field, append-only with corrections, a webhook event, the clocks in My
actions and as a flag one day either side, and a serious incident opening a re-review."""

import datetime as dt

import pytest
from django.utils import timezone

from components import actions
from components.models import Incident
from components.watch import components_sweep
from core.models import AppendOnlyError
from core.roles import roles_of
from gates.choices import Purpose, ReviewStatus
from gates.models import GateReview
from integrations.models import WebhookDelivery, WebhookEndpoint
from portfolio.models import Flag, FlagKind
from tests import factories
from tests.support.components import DAY, api_as, report_incident


def report(user, use_case, **fields):
    body = {"use_case": use_case.pk, "title": "Wrong refusals", **fields}
    return api_as(user).post("/api/incidents/", body, format="json")


def test_anyone_who_sees_the_use_case_reports_and_the_clocks_come_back(live_use_case, head):
    member = factories.member_of(live_use_case.department)
    aware = timezone.now() - 2 * DAY
    answer = report(
        member,
        live_use_case,
        occurred_at=(aware - DAY).isoformat(),
        aware_at=aware.isoformat(),
        serious=True,
        death=True,
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["number"] == 1
    # A deployer by default: inform the provider at once, then the 10-day report (Art. 73(4)).
    assert [(c["article"], c["status"]) for c in body["clocks"]] == [
        ("Art. 26(5)", "overdue"),
        ("Art. 73(4)", "due"),
    ]
    due = dt.datetime.fromisoformat(body["clocks"][1]["due_at"])
    assert due == aware + 10 * DAY


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"aware_at": "future"}, "aware_at"),
        ({"occurred_at": "future", "aware_at": "future"}, "occurred_at aware_at"),
        ({"aware_at": "before"}, "aware_at"),
    ],
)
def test_moments_in_the_future_or_awareness_before_occurrence_are_refused(
    live_use_case, head, fields, field
):
    now = timezone.now()
    moments = {"future": now + DAY, "before": now - 3 * DAY}
    body = {"occurred_at": (now - 2 * DAY).isoformat()}
    body.update({k: moments[v].isoformat() for k, v in fields.items()})
    answer = report(head, live_use_case, **body)
    assert answer.status_code == 400
    assert sorted(answer.json()["fields"]) == sorted(field.split())
    assert not Incident.objects.exists()


def test_a_person_who_cannot_see_the_use_case_gets_400_on_the_field(live_use_case, other_head):
    draft = factories.UseCaseFactory(department=live_use_case.department)
    answer = report(other_head, draft, occurred_at=timezone.now().isoformat())
    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["use_case"]


def test_rows_are_never_edited_a_correction_supersedes(live_use_case, head):
    incident = report_incident(
        live_use_case, head, ago=3 * DAY, serious=True, organisation_role="provider"
    )
    with pytest.raises(AppendOnlyError):
        incident.title = "Changed"
        incident.save()
    answer = api_as(head).post(
        f"/api/incidents/{incident.pk}/correct/",
        {
            "reason": "Reported to the authority",
            "authority_reported_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["clocks"][0]["status"] == "done"
    again = api_as(head).post(
        f"/api/incidents/{incident.pk}/correct/", {"reason": "Again"}, format="json"
    )
    assert again.status_code == 409
    listed = api_as(head).get(f"/api/incidents/?use_case_id={live_use_case.pk}").json()
    assert [row["id"] for row in listed["results"]] == [answer.json()["id"]]
    history = api_as(head).get(f"/api/incidents/{answer.json()['id']}/history/").json()
    assert [row["id"] for row in history] == [incident.pk, answer.json()["id"]]


def test_a_serious_incident_puts_the_use_case_up_for_re_review(live_use_case, head):
    report_incident(live_use_case, head, serious=True)
    review = GateReview.objects.get(use_case=live_use_case, status=ReviewStatus.OPEN)
    assert review.purpose == Purpose.RE_REVIEW
    assert "serious incident 1" in review.reason


def test_an_incident_that_is_not_serious_opens_no_review(live_use_case, head):
    report_incident(live_use_case, head, title="Glitch")
    assert not GateReview.objects.filter(use_case=live_use_case, status=ReviewStatus.OPEN).exists()


def test_reporting_publishes_the_incident_event_to_subscribed_webhooks(live_use_case, head):
    endpoint = WebhookEndpoint.objects.create(
        name="SOC",
        url="http://127.0.0.1:9/hook",
        secret="s" * 32,
        event_types=["incident_reported"],
    )
    report_incident(live_use_case, head, serious=True, widespread=True)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    data = delivery.payload["data"]
    assert delivery.event_type == "incident_reported"
    assert (data["use_case_id"], data["serious"], data["incident_number"]) == (
        live_use_case.pk,
        True,
        1,
    )
    assert [c["article"] for c in data["clocks"]] == ["Art. 26(5)", "Art. 73(3)"]


def test_due_and_overdue_reports_in_my_actions_and_the_flag_one_day_either_side(
    live_use_case, head
):
    aware = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)
    report_incident(
        live_use_case, head, aware_at=aware, serious=True, organisation_role="provider", at=aware
    )
    due = aware + 15 * DAY  # Art. 73(2)

    before = actions.component_actions(head, roles_of(head), at=due - DAY)
    assert [(a.kind, a.title) for a in before] == [
        ("incident_report_due", "Report to the market surveillance authority (Art. 73(2))")
    ]
    after = actions.component_actions(head, roles_of(head), at=due + DAY)
    assert after[0].title.endswith(": overdue")

    components_sweep(at=due - DAY)
    assert not Flag.objects.filter(kind=FlagKind.INCIDENT_REPORT_OVERDUE).exists()
    components_sweep(at=due + DAY)
    flag = Flag.objects.get(kind=FlagKind.INCIDENT_REPORT_OVERDUE, cleared_at__isnull=True)
    assert flag.use_case_id == live_use_case.pk
    assert "Art. 73(2)" in flag.reason
