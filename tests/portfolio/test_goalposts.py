"""Goalposts locked at G0 on every interface; changes only through a re-baselining request
the board approves; one pending request per metric; a stale request is refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from core.errors import ConflictError
from gates.services import criteria_defaults_load
from governance import services as governance
from governance.models import RebaselineDecision, RebaselinePending, RebaselineRequest
from portfolio import services
from portfolio.models import Metric
from tests import factories
from tests.support.concurrency import run_at_once
from tests.support.piloting import T0, client_for, pass_g0

LOCKED = {
    "name": "Settlement days",
    "unit": "hours",
    "direction": "higher",
    "baseline": Decimal("10"),
    "target": Decimal("3"),
    "cadence": "monthly",
    "kind": "technical",
}


def business(use_case):
    return Metric.objects.select_related("use_case").get(use_case=use_case, kind="business")


def technical(use_case):
    return Metric.objects.get(use_case=use_case, kind="technical")


# --- the lock, through the service --------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), LOCKED.items())
def test_after_g0_each_goalpost_of_a_business_metric_is_locked(piloting, head, field, value):
    metric = business(piloting)

    with pytest.raises(ConflictError) as excinfo:
        services.metric_update(actor=head, metric=metric, **{field: value})

    assert excinfo.value.code == "metric_locked"
    assert excinfo.value.extra["fields"] == [field]
    assert getattr(business(piloting), field) == getattr(metric, field)


@pytest.mark.parametrize(("field", "value"), [(k, v) for k, v in LOCKED.items() if k != "kind"])
def test_before_g0_the_goalposts_move_freely(submitted, head, field, value):
    metric = services.metric_update(actor=head, metric=business(submitted), **{field: value})

    assert getattr(metric, field) == value


def test_after_g0_an_unchanged_value_is_not_a_change(piloting, head):
    metric = business(piloting)

    services.metric_update(actor=head, metric=metric, baseline="9.0000", name=metric.name)


def test_after_g0_no_business_metric_is_added_or_removed(piloting, head):
    with pytest.raises(ConflictError) as added:
        services.metric_create(actor=head, use_case=piloting, name="Complaints", unit="count")
    with pytest.raises(ConflictError) as removed:
        services.metric_delete(actor=head, metric=business(piloting))
    with pytest.raises(ConflictError) as promoted:
        services.metric_update(actor=head, metric=technical(piloting), kind="business")

    assert (added.value.code, removed.value.code, promoted.value.code) == ("metric_locked",) * 3
    assert Metric.objects.filter(use_case=piloting, kind="business").count() == 1


def test_after_g0_technical_metrics_still_change(piloting, head):
    paired = business(piloting)
    added = services.metric_create(
        actor=head,
        use_case=piloting,
        name="Latency",
        unit="ms",
        kind="technical",
        paired_with=paired,
    )

    renamed = services.metric_update(actor=head, metric=added, name="p95 latency")

    assert renamed.name == "p95 latency"


# --- the lock, through the API, the admin and the web pages ---------------------------------------


@pytest.mark.parametrize(
    "body", [{"name": "Other"}, {"direction": "higher"}, {"target": "3"}, {"cadence": "monthly"}]
)
def test_api_refuses_to_move_a_locked_goalpost(piloting, head, body):
    response = client_for(head).patch(f"/api/metrics/{business(piloting).pk}/", body, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "metric_locked"


def test_api_refuses_to_add_or_remove_a_business_metric_after_g0(piloting, head):
    client = client_for(head)

    added = client.post(
        "/api/metrics/",
        {
            "use_case": piloting.pk,
            "name": "Complaints",
            "unit": "count",
            "kind": "business",
            "direction": "lower",
            "baseline": "120",
            "target": "80",
            "cadence": "weekly",
        },
        format="json",
    )
    removed = client.delete(f"/api/metrics/{business(piloting).pk}/")

    assert (added.status_code, added.json()["code"]) == (409, "metric_locked")
    assert (removed.status_code, removed.json()["code"]) == (409, "metric_locked")


def metric_form(metric, **changes):
    data = {
        "kind": metric.kind,
        "name": metric.name,
        "unit": metric.unit,
        "direction": metric.direction,
        "baseline": metric.baseline,
        "target": metric.target,
        "cadence": metric.cadence,
        "paired_with": metric.paired_with_id or "",
    }
    return {**data, **changes}


def test_admin_refuses_to_move_a_locked_goalpost(piloting, admin_user, client):
    metric = business(piloting)
    client.force_login(admin_user)

    response = client.post(
        f"/admin/portfolio/metric/{metric.pk}/change/",
        metric_form(metric, baseline="1", target="100"),
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert "locked since G0" in response.content.decode()
    assert (business(piloting).baseline, business(piloting).target) == (Decimal(9), Decimal(4))


def test_admin_changes_an_unlocked_metric_through_the_service(submitted, admin_user, client):
    metric = business(submitted)
    client.force_login(admin_user)

    response = client.post(
        f"/admin/portfolio/metric/{metric.pk}/change/", metric_form(metric, target="3")
    )

    assert response.status_code == 302
    assert business(submitted).target == Decimal(3)


def test_admin_offers_no_metric_delete_and_no_inline_edit(piloting, admin_user, client):
    metric = business(piloting)
    client.force_login(admin_user)

    delete = client.post(f"/admin/portfolio/metric/{metric.pk}/delete/", {"post": "yes"})
    page = client.get(f"/admin/portfolio/usecase/{piloting.pk}/change/").content.decode()

    assert delete.status_code == 403
    assert 'name="metrics-0-baseline"' not in page
    assert Metric.objects.filter(pk=metric.pk).exists()


def test_the_intake_page_is_closed_after_g0(piloting, head, client):
    client.force_login(head)

    assert client.get(f"/use-cases/{piloting.pk}/edit/").status_code == 403


# --- re-baselining ------------------------------------------------------------------------------


def ask(metric, head, target="5"):
    return governance.rebaseline_request(
        metric=metric, actor=head, baseline=Decimal("10"), target=Decimal(target), reason="Law."
    )


def test_one_request_waits_per_metric(piloting, head, chair):
    metric = business(piloting)
    first = ask(metric, head)

    with pytest.raises(ConflictError) as excinfo:
        ask(metric, head, target="6")
    governance.rebaseline_decide(request=first, actor=chair, approve=False, comment="No.")
    second = ask(metric, head, target="6")

    assert excinfo.value.code == "rebaseline_pending"
    assert excinfo.value.extra == {"pending_request": first.pk}
    assert RebaselinePending.objects.get(metric=metric).request == second


def test_api_answers_409_to_a_second_pending_request(piloting, head):
    metric = business(piloting)
    client = client_for(head)
    body = {"metric": metric.pk, "baseline": "10", "target": "5", "reason": "Law."}

    first = client.post("/api/rebaseline-requests/", body, format="json")
    second = client.post("/api/rebaseline-requests/", body, format="json")

    assert first.status_code == 201
    assert (second.status_code, second.json()["code"]) == (409, "rebaseline_pending")


def test_a_stale_request_is_refused_and_can_only_be_rejected(piloting, head, chair):
    metric = business(piloting)
    approved = ask(metric, head, target="5")
    governance.rebaseline_decide(request=approved, actor=chair, approve=True)
    # A request recorded against the old goalposts (made before one-pending was enforced).
    stale = RebaselineRequest.objects.create(
        use_case=piloting,
        metric=metric,
        old_baseline=Decimal("9"),
        old_target=Decimal("4"),
        new_baseline=Decimal("9"),
        new_target=Decimal("2"),
        reason="Old request.",
        requested_by=head,
        requested_at=T0,
    )

    response = client_for(chair).post(
        f"/api/rebaseline-requests/{stale.pk}/decide/", {"approve": True}, format="json"
    )
    rejected = client_for(chair).post(
        f"/api/rebaseline-requests/{stale.pk}/decide/", {"approve": False}, format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "rebaseline_stale"
    assert (body["request_old"], body["metric_now"]) == (
        ["9.0000", "4.0000"],
        ["10.0000", "5.0000"],
    )
    assert rejected.status_code == 200
    assert (business(piloting).baseline, business(piloting).target) == (Decimal(10), Decimal(5))
    assert RebaselineDecision.objects.get(request=stale).outcome == "rejected"


def test_an_approved_request_keeps_both_values_and_moves_the_goalposts(piloting, head, chair):
    metric = business(piloting)
    request = ask(metric, head)

    governance.rebaseline_decide(request=request, actor=chair, approve=True)

    request.refresh_from_db()
    assert (request.old_baseline, request.old_target) == (Decimal(9), Decimal(4))
    assert (request.new_baseline, request.new_target) == (Decimal(10), Decimal(5))
    assert (business(piloting).baseline, business(piloting).target) == (Decimal(10), Decimal(5))
    assert not RebaselinePending.objects.filter(metric=metric).exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_requests_make_one_201():
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    criteria_defaults_load()
    _board, seats = factories.board_with(3)
    use_case = services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department),
        actor=head,
        at=T0 - dt.timedelta(days=10),
    )
    pass_g0(use_case, head, (_board, seats))
    metric = business(use_case)

    def post():
        client = client_for(head)
        return client.post(
            "/api/rebaseline-requests/",
            {"metric": metric.pk, "baseline": "10", "target": "5", "reason": "Law."},
            format="json",
        )

    responses, errors = run_at_once(20, post)

    assert errors == []
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 19, (connection.vendor, statuses)
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"rebaseline_pending"}
    assert RebaselineRequest.objects.filter(metric=metric).count() == 1


def test_a_request_moves_the_other_goalposts_too_once_approved(piloting, head, chair):
    metric = business(piloting)
    request = governance.rebaseline_request(
        metric=metric,
        actor=head,
        name="Settlement days",
        direction="lower",
        cadence="monthly",
        reason="Finance measures it monthly now.",
    )

    governance.rebaseline_decide(request=request, actor=chair, approve=True)

    moved = business(piloting)
    assert (moved.name, moved.cadence, moved.baseline, moved.target) == (
        "Settlement days",
        "monthly",
        Decimal(9),
        Decimal(4),
    )
    assert (request.old_name, request.new_name) == (metric.name, "Settlement days")
    assert (request.old_cadence, request.new_cadence) == ("weekly", "monthly")


def test_a_request_that_moves_nothing_or_takes_a_used_name_is_refused(piloting, head):
    metric = business(piloting)

    nothing = client_for(head).post(
        "/api/rebaseline-requests/",
        {"metric": metric.pk, "name": metric.name, "reason": "Nothing."},
        format="json",
    )
    clash = client_for(head).post(
        "/api/rebaseline-requests/",
        {"metric": metric.pk, "name": technical(piloting).name, "reason": "Clash."},
        format="json",
    )

    assert (nothing.status_code, list(nothing.json()["fields"])) == (400, ["non_field_errors"])
    assert (clash.status_code, list(clash.json()["fields"])) == (400, ["name"])
    assert not RebaselinePending.objects.filter(metric=metric).exists()


def test_api_requests_a_new_unit_and_shows_old_and_new(piloting, head):
    metric = business(piloting)

    response = client_for(head).post(
        "/api/rebaseline-requests/",
        {"metric": metric.pk, "unit": "hours", "reason": "Hours are what we track."},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["old_unit"], body["new_unit"]) == ("days", "hours")
    assert (body["old_baseline"], body["new_baseline"]) == ("9.0000", "9.0000")
    assert business(piloting).unit == "days"  # until the board approves


def test_a_request_reads_the_lock_as_stored_not_the_callers_copy(submitted, head, board, chair):
    metric = business(submitted)  # loaded before G0: its use case says "not locked"
    pass_g0(submitted, head, board)

    request = governance.rebaseline_request(
        metric=metric, actor=head, target=Decimal("3"), reason="After G0."
    )

    assert (request.old_target, request.new_target) == (Decimal(4), Decimal(3))
