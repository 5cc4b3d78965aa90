"""Re-baselining on the use case page: the department head asks (move goalposts, add a
business metric, retire one), the board's chair approves or rejects; the same rules as the
API (one pending, stale refused, only the chair decides)."""

from decimal import Decimal

from governance import services as governance
from governance.models import RebaselineDecision, RebaselineRequest
from portfolio import services
from portfolio.models import Metric
from tests.support.piloting import T0

ADD = {
    "kind": "add",
    "name": "Complaints",
    "unit": "count",
    "direction": "lower",
    "baseline": "120",
    "target": "80",
    "cadence": "weekly",
    "reason": "Customers feel it.",
}


def business(use_case):
    return Metric.objects.get(use_case=use_case, kind="business", name__startswith="Cycle")


def page(client, use_case):
    return client.get(f"/use-cases/{use_case.pk}/").content.decode()


def test_head_asks_to_add_and_the_chair_approves_on_the_page(piloting, head, chair, client):
    client.force_login(head)
    assert 'id="rebaseline-request"' in page(client, piloting)

    asked = client.post(f"/use-cases/{piloting.pk}/rebaseline/", ADD)
    again = client.post(f"/use-cases/{piloting.pk}/rebaseline/", ADD, follow=True)
    request = RebaselineRequest.objects.get(use_case=piloting)
    client.force_login(chair)
    shown = page(client, piloting)
    decided = client.post(
        f"/use-cases/{piloting.pk}/rebaseline/{request.pk}/decide/",
        {"approve": "yes", "comment": "Agreed."},
    )

    assert asked.status_code == 302
    assert "already waiting for the board" in again.content.decode()
    assert RebaselineRequest.objects.filter(use_case=piloting).count() == 1
    assert 'class="row-form rebaseline-decide"' in shown
    assert decided.status_code == 302
    metric = Metric.objects.get(use_case=piloting, name="Complaints")
    assert (metric.baseline, metric.target, metric.cadence) == (Decimal(120), Decimal(80), "weekly")
    assert "Approved" in page(client, piloting)


def test_head_asks_to_retire_and_a_rejection_leaves_the_metric(piloting, head, chair, client):
    first = business(piloting)
    client.force_login(head)

    client.post(
        f"/use-cases/{piloting.pk}/rebaseline/",
        {"kind": "retire", "metric": first.pk, "reason": "Replaced."},
    )
    refused = client.post(
        f"/use-cases/{piloting.pk}/rebaseline/",
        {"kind": "retire", "metric": first.pk, "reason": "Replaced."},
        follow=True,
    )

    # The technical metric is still paired with it: the service says so, nothing is asked.
    assert "re-pair them first" in refused.content.decode()
    assert not RebaselineRequest.objects.filter(use_case=piloting).exists()


def test_only_the_chair_decides_and_a_stale_request_is_refused(piloting, head, chair, client):
    first = business(piloting)
    stale = RebaselineRequest.objects.create(
        use_case=piloting,
        metric=first,
        old_baseline=Decimal("1"),
        old_target=Decimal("2"),
        new_baseline=Decimal("1"),
        new_target=Decimal("3"),
        reason="Old.",
        requested_by=head,
        requested_at=T0,
    )
    url = f"/use-cases/{piloting.pk}/rebaseline/{stale.pk}/decide/"
    client.force_login(head)
    by_head = client.post(url, {"approve": "yes"})
    client.force_login(chair)
    approved = client.post(url, {"approve": "yes"}, follow=True)

    assert by_head.status_code == 403
    assert "can only be rejected" in approved.content.decode()
    assert not RebaselineDecision.objects.filter(request=stale).exists()
    assert business(piloting).target == Decimal(4)


def test_nothing_is_asked_before_g0_nor_by_someone_else(submitted, piloting, other_head, client):
    client.force_login(other_head)

    response = client.post(f"/use-cases/{piloting.pk}/rebaseline/", ADD)

    assert response.status_code in (403, 404)
    assert not RebaselineRequest.objects.exists()


def test_the_page_offers_no_request_before_g0(submitted, head, client):
    client.force_login(head)

    assert 'id="rebaseline-request"' not in page(client, submitted)


def test_a_retired_metric_is_marked_and_takes_no_reading_on_the_page(piloting, head, chair, client):
    first = business(piloting)
    governance.rebaseline_decide(
        request=governance.rebaseline_request(
            kind="add",
            use_case=piloting,
            actor=head,
            **{k: v for k, v in ADD.items() if k != "kind"},
        ),
        actor=chair,
        approve=True,
    )
    complaints = Metric.objects.get(use_case=piloting, name="Complaints")
    technical = Metric.objects.get(use_case=piloting, kind="technical")
    services.metric_update(actor=head, metric=technical, paired_with=complaints)
    governance.rebaseline_decide(
        request=governance.rebaseline_request(
            kind="retire", metric=first, actor=head, reason="Replaced."
        ),
        actor=chair,
        approve=True,
    )
    client.force_login(head)

    html = page(client, piloting)
    reading = client.post(
        f"/use-cases/{piloting.pk}/readings/", {"metric": first.pk, "value": "5"}, follow=True
    )

    reading_form = html.split(f'action="/use-cases/{piloting.pk}/readings/"')[1]
    reading_form = reading_form.split("</form>")[0]
    assert "retired " in html
    assert f'value="{complaints.pk}"' in reading_form
    assert f'value="{first.pk}"' not in reading_form
    assert reading.status_code == 200
    assert not first.readings.exists()


def test_head_asks_to_move_a_target_on_the_page(piloting, head, client):
    first = business(piloting)
    client.force_login(head)

    client.post(
        f"/use-cases/{piloting.pk}/rebaseline/",
        {"kind": "change", "metric": first.pk, "target": "3", "reason": "Tighter."},
    )

    request = RebaselineRequest.objects.get(use_case=piloting)
    assert (request.kind, request.old_target, request.new_target) == ("change", 4, 3)
    assert (request.new_name, request.new_unit) == (first.name, first.unit)
    assert business(piloting).target == Decimal(4)  # until the board approves
