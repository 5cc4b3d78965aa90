"""After G0 a business metric is added or retired only by a re-baselining request the board
approves: one pending request per metric (per use case and name for an addition), a stale
request refused (409), a rejection changes nothing, an approval applies and is in the
change history; a retired metric keeps its readings and stops counting in gate evaluation
from the moment it was retired, while frozen snapshots keep what they saw."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.errors import ConflictError
from gates.models import EvidenceSnapshot
from gates.selectors import evidence_load
from governance import services as governance
from governance.models import RebaselineDecision, RebaselinePending, RebaselineRequest
from portfolio import services
from portfolio.models import Metric, MetricReading
from portfolio.selectors_history import use_case_history
from tests.support.piloting import T0, client_for

COMPLAINTS = {
    "name": "Complaints",
    "unit": "count",
    "direction": "lower",
    "baseline": Decimal("120"),
    "target": Decimal("80"),
    "cadence": "weekly",
}


def business(use_case):
    return Metric.objects.get(use_case=use_case, kind="business", name__startswith="Cycle")


def ask_add(use_case, head, **changes):
    return governance.rebaseline_request(
        kind="add",
        use_case=use_case,
        actor=head,
        reason="Customers feel it.",
        **{**COMPLAINTS, **changes},
    )


def added(use_case, head, chair):
    """Complaints added through an approved request; the technical metric re-paired to it,
    so that the first business metric may be retired."""
    governance.rebaseline_decide(request=ask_add(use_case, head), actor=chair, approve=True)
    complaints = Metric.objects.get(use_case=use_case, name="Complaints")
    technical = Metric.objects.get(use_case=use_case, kind="technical")
    services.metric_update(actor=head, metric=technical, paired_with=complaints)
    return complaints


def ask_retire(metric, head):
    return governance.rebaseline_request(
        kind="retire", metric=metric, actor=head, reason="Replaced by complaints."
    )


# --- adding ------------------------------------------------------------------------------------


def test_an_approved_addition_adds_the_metric_with_its_goalposts(piloting, head, chair):
    request = ask_add(piloting, head)

    assert not Metric.objects.filter(use_case=piloting, name="Complaints").exists()
    decision = governance.rebaseline_decide(request=request, actor=chair, approve=True)

    metric = Metric.objects.get(use_case=piloting, name="Complaints")
    assert (metric.kind, metric.unit, metric.direction, metric.cadence) == (
        "business",
        "count",
        "lower",
        "weekly",
    )
    assert (metric.baseline, metric.target, metric.retired_at) == (Decimal(120), Decimal(80), None)
    assert decision.created_metric == metric
    assert not RebaselinePending.objects.filter(request=request).exists()
    entry = next(e for e in use_case_history(use_case_id=piloting.pk) if e.subject_id == metric.pk)
    assert (entry.kind, entry.by, entry.reason) == (
        "created",
        chair.username,
        f"re-baselining request {request.pk} approved: Customers feel it.",
    )
    assert {"field": "target", "old": None, "new": "80.0000"} in entry.as_dict()["changes"]


def test_one_pending_addition_per_use_case_and_name(piloting, head, chair):
    first = ask_add(piloting, head)

    with pytest.raises(ConflictError) as same:
        ask_add(piloting, head, name="complaints")
    other = ask_add(piloting, head, name="Escalations")
    governance.rebaseline_decide(request=first, actor=chair, approve=False, comment="Not yet.")
    again = ask_add(piloting, head)

    assert (same.value.code, same.value.extra) == (
        "rebaseline_pending",
        {"pending_request": first.pk},
    )
    assert RebaselinePending.objects.filter(use_case=piloting).count() == 2
    assert {other.new_name, again.new_name} == {"Escalations", "Complaints"}


def test_an_addition_needs_its_goalposts_and_a_free_name(piloting, head):
    with pytest.raises(ValidationError) as incomplete:
        governance.rebaseline_request(
            kind="add", use_case=piloting, actor=head, name="Complaints", reason="Why."
        )
    with pytest.raises(ValidationError) as taken:
        ask_add(piloting, head, name=business(piloting).name.upper())

    assert set(incomplete.value.message_dict) == {"unit", "baseline", "target"}
    assert set(taken.value.message_dict) == {"name"}
    assert not RebaselineRequest.objects.filter(use_case=piloting).exists()


def test_an_addition_before_g0_is_refused_edit_the_metrics_directly(submitted, head):
    with pytest.raises(ConflictError) as excinfo:
        ask_add(submitted, head)

    assert excinfo.value.code == "not_locked"


def test_a_stale_addition_is_refused_and_can_only_be_rejected(piloting, head, chair):
    first = business(piloting)
    addition = ask_add(piloting, head)
    rename = governance.rebaseline_request(
        metric=first, actor=head, name="Complaints", reason="Same thing."
    )
    governance.rebaseline_decide(request=rename, actor=chair, approve=True)

    with pytest.raises(ConflictError) as excinfo:
        governance.rebaseline_decide(request=addition, actor=chair, approve=True)
    governance.rebaseline_decide(request=addition, actor=chair, approve=False)

    assert excinfo.value.code == "rebaseline_stale"
    assert excinfo.value.extra["metric_now"] == first.pk
    assert Metric.objects.filter(use_case=piloting, kind="business").count() == 1
    assert RebaselineDecision.objects.get(request=addition).outcome == "rejected"


def test_a_rejected_addition_adds_nothing(piloting, head, chair):
    before = list(Metric.objects.filter(use_case=piloting).values_list("pk", flat=True))

    decision = governance.rebaseline_decide(
        request=ask_add(piloting, head), actor=chair, approve=False, comment="No."
    )

    assert list(Metric.objects.filter(use_case=piloting).values_list("pk", flat=True)) == before
    assert decision.created_metric is None


def test_only_the_chair_decides_an_addition(piloting, head, members):
    request = ask_add(piloting, head)

    for person in (head, members[0]):
        with pytest.raises(PermissionDenied):
            governance.rebaseline_decide(request=request, actor=person, approve=True)

    assert not Metric.objects.filter(use_case=piloting, name="Complaints").exists()


# --- retiring ----------------------------------------------------------------------------------


def test_an_approved_retirement_keeps_the_readings_and_stops_counting(piloting, head, chair):
    first = business(piloting)
    services.reading_add(actor=head, metric=first, value=Decimal(6), measured_at=T0)
    added(piloting, head, chair)
    snapshots = list(EvidenceSnapshot.objects.order_by("pk").values())
    request = ask_retire(first, head)
    retired_at = T0 + dt.timedelta(days=30)

    governance.rebaseline_decide(request=request, actor=chair, approve=True, at=retired_at)

    first.refresh_from_db()
    assert first.retired_at == retired_at
    assert MetricReading.objects.filter(metric=first).count() == 1
    after = evidence_load(use_case_id=piloting.pk, at=retired_at)
    before = evidence_load(use_case_id=piloting.pk, at=retired_at - dt.timedelta(seconds=1))
    assert [m.name for m in after.business_metrics] == ["Complaints"]
    assert [m.name for m in before.business_metrics] == [first.name, "Complaints"]
    assert before.business_metrics[0].latest.value == Decimal(6)
    assert list(EvidenceSnapshot.objects.order_by("pk").values()) == snapshots
    entry = next(
        e
        for e in use_case_history(use_case_id=piloting.pk)
        if e.subject_id == first.pk and e.kind == "changed"
    )
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("retired_at", None, retired_at.isoformat())
    ]
    assert entry.reason.startswith(f"re-baselining request {request.pk} approved")


def test_a_retired_metric_takes_no_reading_and_no_change(piloting, head, chair):
    first = business(piloting)
    added(piloting, head, chair)
    governance.rebaseline_decide(request=ask_retire(first, head), actor=chair, approve=True)

    with pytest.raises(ConflictError) as reading:
        services.reading_add(actor=head, metric=first, value=Decimal(5))
    with pytest.raises(ConflictError) as change:
        governance.rebaseline_request(metric=first, actor=head, target=Decimal(3), reason="Back.")
    with pytest.raises(ConflictError) as again:
        ask_retire(first, head)

    assert (reading.value.code, change.value.code, again.value.code) == ("metric_retired",) * 3


def test_the_last_business_metric_and_a_paired_one_are_not_retired(piloting, head):
    with pytest.raises(ConflictError) as paired:
        ask_retire(business(piloting), head)
    technical = Metric.objects.get(use_case=piloting, kind="technical")
    Metric.objects.filter(pk=technical.pk).update(kind="business", paired_with=None)
    Metric.objects.filter(pk=technical.pk).update(retired_at=T0)
    with pytest.raises(ConflictError) as last:
        ask_retire(business(piloting), head)

    assert (paired.value.code, last.value.code) == ("metric_paired", "last_business_metric")


def test_one_pending_request_per_metric_whatever_it_asks(piloting, head, chair):
    first = business(piloting)
    added(piloting, head, chair)
    change = governance.rebaseline_request(
        metric=first, actor=head, target=Decimal(3), reason="Tighter."
    )

    with pytest.raises(ConflictError) as excinfo:
        ask_retire(first, head)

    assert (excinfo.value.code, excinfo.value.extra) == (
        "rebaseline_pending",
        {"pending_request": change.pk},
    )


def test_a_stale_retirement_is_refused_and_a_rejection_leaves_the_metric(piloting, head, chair):
    first = business(piloting)
    added(piloting, head, chair)
    retire = ask_retire(first, head)
    # Recorded against goalposts that no longer hold (the target moved under it).
    stale = RebaselineRequest.objects.create(
        kind="retire",
        use_case=piloting,
        metric=first,
        old_baseline=first.baseline,
        old_target=Decimal("5"),
        reason="Old.",
        requested_by=head,
        requested_at=T0,
    )

    with pytest.raises(ConflictError) as excinfo:
        governance.rebaseline_decide(request=stale, actor=chair, approve=True)
    governance.rebaseline_decide(request=retire, actor=chair, approve=False)

    first.refresh_from_db()
    assert excinfo.value.code == "rebaseline_stale"
    assert first.retired_at is None
    assert not RebaselinePending.objects.filter(metric=first).exists()


# --- through the API ----------------------------------------------------------------------------


def test_api_head_adding_a_business_metric_after_g0_is_told_the_way(piloting, head):
    response = client_for(head).post(
        "/api/metrics/",
        {"use_case": piloting.pk, "kind": "business", **COMPLAINTS},
        format="json",
    )

    body = response.json()
    assert (response.status_code, body["code"], body["way"]) == (
        409,
        "metric_locked",
        "rebaseline_request",
    )
    assert "re-baselining request" in body["message"]


def test_api_asks_to_add_and_the_chair_approves(piloting, head, chair):
    body = {"kind": "add", "use_case": piloting.pk, **COMPLAINTS, "reason": "Customers."}
    created = client_for(head).post("/api/rebaseline-requests/", body, format="json")
    second = client_for(head).post("/api/rebaseline-requests/", body, format="json")
    request_id = created.json()["id"]
    refused = client_for(head).post(
        f"/api/rebaseline-requests/{request_id}/decide/", {"approve": True}, format="json"
    )
    decided = client_for(chair).post(
        f"/api/rebaseline-requests/{request_id}/decide/", {"approve": True}, format="json"
    )

    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("kind", "metric", "use_case", "new_name")} == {
        "kind": "add",
        "metric": None,
        "use_case": piloting.pk,
        "new_name": "Complaints",
    }
    assert (second.status_code, second.json()["code"]) == (409, "rebaseline_pending")
    assert refused.status_code == 403
    assert decided.status_code == 200
    metric_id = decided.json()["decision"]["created_metric"]
    assert Metric.objects.get(pk=metric_id).name == "Complaints"


def test_api_asks_to_retire_and_a_rejection_leaves_it(piloting, head, chair):
    first = business(piloting)
    added(piloting, head, chair)
    body = {"kind": "retire", "metric": first.pk, "reason": "Replaced."}
    created = client_for(head).post("/api/rebaseline-requests/", body, format="json")
    again = client_for(head).post("/api/rebaseline-requests/", body, format="json")
    rejected = client_for(chair).post(
        f"/api/rebaseline-requests/{created.json()['id']}/decide/",
        {"approve": False},
        format="json",
    )
    metric = client_for(head).get(f"/api/metrics/{first.pk}/").json()

    assert created.status_code == 201
    assert (created.json()["old_target"], created.json()["new_target"]) == ("4.0000", None)
    assert (again.status_code, again.json()["code"]) == (409, "rebaseline_pending")
    assert rejected.json()["decision"]["outcome"] == "rejected"
    assert metric["retired_at"] is None


def test_api_refuses_a_request_without_its_subject(piloting, head):
    client = client_for(head)

    add = client.post(
        "/api/rebaseline-requests/", {"kind": "add", "name": "X", "reason": "Why."}, format="json"
    )
    retire = client.post(
        "/api/rebaseline-requests/", {"kind": "retire", "reason": "Why."}, format="json"
    )

    assert (add.status_code, list(add.json()["fields"])) == (400, ["use_case"])
    assert (retire.status_code, list(retire.json()["fields"])) == (400, ["metric"])


def test_api_lists_requests_by_kind(piloting, head, chair):
    ask_add(piloting, head)

    response = client_for(chair).get(
        f"/api/rebaseline-requests/?use_case_id={piloting.pk}&kind=add"
    )

    assert [r["new_name"] for r in response.json()["results"]] == ["Complaints"]


# --- through the admin --------------------------------------------------------------------------


def test_admin_adds_no_business_metric_after_g0_and_decides_no_request(
    piloting, head, admin_user, client
):
    request = ask_add(piloting, head)
    client.force_login(admin_user)

    page = client.post(
        "/admin/portfolio/metric/add/",
        {"use_case": piloting.pk, "kind": "business", **COMPLAINTS},
    )
    add_request = client.get("/admin/governance/rebaselinerequest/add/")
    change_request = client.post(
        f"/admin/governance/rebaselinerequest/{request.pk}/change/", {"new_name": "Other"}
    )
    listing = client.get("/admin/governance/rebaselinerequest/?kind__exact=add")

    assert page.status_code == 200  # the form again, with the refusal
    assert "re-baselining request" in page.content.decode()
    assert not Metric.objects.filter(use_case=piloting, name="Complaints").exists()
    assert (add_request.status_code, change_request.status_code) == (403, 403)
    assert "Complaints" in listing.content.decode()


def test_admin_cannot_retire_a_metric(piloting, admin_user, client):
    metric = business(piloting)
    client.force_login(admin_user)

    page = client.get(f"/admin/portfolio/metric/{metric.pk}/change/").content.decode()

    assert 'name="retired_at"' not in page


def test_the_database_holds_one_pending_addition_per_use_case_and_name(piloting, head):
    first = ask_add(piloting, head)
    second = RebaselineRequest.objects.create(
        kind="add",
        use_case=piloting,
        new_name="COMPLAINTS",
        new_unit="count",
        new_baseline=Decimal(1),
        new_target=Decimal(2),
        reason="Raced past the service's check.",
        requested_by=head,
        requested_at=T0,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        RebaselinePending.objects.create(
            request=second, use_case=piloting, metric_name=second.new_name
        )

    assert RebaselinePending.objects.get(use_case=piloting).request == first
