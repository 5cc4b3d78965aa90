"""The change history of a use case: intake, metrics, data gaps, reading corrections and
gate criteria, with who, when, old and new; the bulk paths are recorded too; shown on the
use case page and in the admin, and read through the API by those who may read the use case."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.history import BULK_REASON
from gates.models import Criterion
from governance import services as governance
from portfolio import services
from portfolio.models import DataGap, Metric, UseCase
from portfolio.selectors_history import use_case_history
from tests import factories
from tests.support.piloting import client_for


def changes(entry):
    return [(c.field, c.old, c.new) for c in entry.changes]


def test_an_intake_change_is_recorded_with_who_old_and_new(use_case, head):
    services.use_case_update(actor=head, use_case=use_case, build_cost=Decimal("90000"))

    entry = use_case_history(use_case_id=use_case.pk)[0]

    assert (entry.subject, entry.kind, entry.by) == ("use_case", "changed", head.username)
    assert changes(entry) == [("build_cost", "100000.00", "90000.00")]


def test_metric_and_data_gap_changes_are_recorded(use_case, head):
    metric = use_case.metrics.get(kind="business")
    services.metric_update(actor=head, metric=metric, target=Decimal("3"))
    gap = services.data_gap_create(actor=head, use_case=use_case, description="No labels.")
    services.data_gap_delete(actor=head, gap=gap)

    entries = use_case_history(use_case_id=use_case.pk)
    by_kind = {(e.subject, e.kind): e for e in entries}

    assert changes(by_kind[("metric", "changed")]) == [("target", "4.0000", "3.0000")]
    assert by_kind[("metric", "changed")].by == head.username
    assert ("description", None, "No labels.") in changes(by_kind[("data_gap", "created")])
    assert by_kind[("data_gap", "deleted")].by == head.username


def test_a_re_baselining_is_recorded_with_the_approval_as_reason(piloting, head, chair):
    metric = piloting.metrics.get(kind="business")
    request = governance.rebaseline_request(
        metric=metric, actor=head, baseline=Decimal("10"), target=Decimal("5"), reason="New law."
    )
    governance.rebaseline_decide(request=request, actor=chair, approve=True)

    entry = next(e for e in use_case_history(use_case_id=piloting.pk) if e.subject == "metric")

    assert entry.by == chair.username
    assert changes(entry) == [("baseline", "9.0000", "10.0000"), ("target", "4.0000", "5.0000")]
    assert entry.reason == f"re-baselining request {request.pk} approved: New law."


def test_the_g0_lock_is_recorded(piloting, chair):
    entry = next(
        e
        for e in use_case_history(use_case_id=piloting.pk)
        if any(c.field == "metrics_locked_at" for c in e.changes)
    )

    assert (entry.reason, entry.by) == ("G0 passed: goalposts locked", chair.username)


@pytest.mark.parametrize(
    ("model", "lookup", "field", "value"),
    [
        (UseCase, "pk", "title", "Renamed in bulk"),
        (Metric, "use_case_id", "target", Decimal("2")),
        (DataGap, "use_case_id", "work_owner", "Someone else"),
    ],
)
def test_bulk_updates_leave_history_instead_of_skipping_it(use_case, model, lookup, field, value):
    factories.DataGapFactory(use_case=use_case)
    rows = model.objects.filter(**{lookup: use_case.pk})
    before = model.history.filter(**{"id__in": list(rows.values_list("pk", flat=True))}).count()

    rows.update(**{field: value})

    after = model.history.filter(**{"id__in": list(rows.values_list("pk", flat=True))})
    assert after.count() == before + rows.count()
    assert after.order_by("-history_id").first().history_change_reason == BULK_REASON


def test_bulk_update_through_bulk_update_is_recorded(use_case):
    metric = use_case.metrics.get(kind="business")
    metric.unit = "hours"

    Metric.objects.bulk_update([metric], ["unit"])

    entry = next(e for e in use_case_history(use_case_id=use_case.pk) if e.kind == "changed")
    assert changes(entry) == [("unit", "days", "hours")]


def test_criteria_changes_are_recorded(default_criteria):
    criterion = Criterion.objects.order_by("pk").first()

    Criterion.objects.filter(pk=criterion.pk).update(threshold=Decimal("2"))

    history = list(criterion.history.order_by("history_id"))
    assert history[-1].threshold == Decimal("2")
    assert history[-1].history_change_reason == BULK_REASON


def test_a_reading_correction_is_in_the_history(use_case, head):
    metric = use_case.metrics.get(kind="business")
    reading = services.reading_add(actor=head, metric=metric, value=Decimal("7"))
    services.reading_correct(actor=head, reading=reading, value=Decimal("6"), reason="Typo.")

    entry = use_case_history(use_case_id=use_case.pk)[0]

    assert (entry.subject, entry.kind, entry.reason) == ("reading", "corrected", "Typo.")
    assert changes(entry) == [("value", "7.0000", "6.0000")]


# --- where it is read ----------------------------------------------------------------------------


@pytest.fixture
def changed(use_case, head):
    services.use_case_update(actor=head, use_case=use_case, title="Claims triage, revised")
    return use_case


@pytest.mark.parametrize(
    ("who", "status"),
    [("head", 200), ("executive", 200), ("admin_user", 200), ("other_head", 404)],
)
def test_api_history_is_read_by_those_who_read_the_use_case(changed, request, who, status):
    user = request.getfixturevalue(who)

    response = client_for(user).get(f"/api/use-cases/{changed.pk}/history/")

    assert response.status_code == status
    if status == 200:
        entry = response.json()[0]
        assert entry["changes"] == [
            {"field": "title", "old": changed.title, "new": "Claims triage, revised"}
        ]
        assert entry["by"]["username"] == "claims-head"
    else:
        assert response.json()["code"] == "not_found"


def test_api_history_needs_a_sign_in(changed):
    assert client_for(None).get(f"/api/use-cases/{changed.pk}/history/").status_code in (401, 403)


def test_api_history_queries_do_not_grow_with_the_changes(
    use_case, head, django_assert_max_num_queries
):
    client = client_for(head)
    services.use_case_update(actor=head, use_case=use_case, title="One")
    with django_assert_max_num_queries(20) as few:
        client.get(f"/api/use-cases/{use_case.pk}/history/")
    for i in range(15):
        services.use_case_update(actor=head, use_case=use_case, title=f"Title {i}")
        services.metric_update(
            actor=head, metric=use_case.metrics.get(kind="business"), target=Decimal(i)
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/api/use-cases/{use_case.pk}/history/")

    assert len(response.json()) >= 30


def test_the_use_case_page_and_the_admin_page_show_the_history(changed, head, executive, client):
    client.force_login(head)
    page = client.get(f"/use-cases/{changed.pk}/").content.decode()
    client.force_login(executive)
    admin_page = client.get(f"/admin/flywheel/use-cases/{changed.pk}/").content.decode()

    for html in (page, admin_page):
        assert 'id="change-history"' in html
        assert "Claims triage, revised" in html
        assert "claims-head" in html


def test_bulk_created_criteria_have_their_creation_recorded(db):
    from gates import services as gate_services
    from gates.defaults import criterion

    criteria_set = gate_services.criteria_set_create(
        gate="G1", criteria=[criterion("ROI at least 2", "expected_roi", "at_least", "2")]
    )

    (row,) = Criterion.history.filter(criteria_set_id=criteria_set.pk)
    assert (row.history_type, row.label, row.threshold) == ("+", "ROI at least 2", Decimal(2))


def test_a_sign_off_is_recorded_with_the_signer_and_the_party(use_case):
    services.use_case_sign_off(actor=use_case.sponsor, use_case=use_case, party="sponsor")

    entry = use_case_history(use_case_id=use_case.pk)[0]

    assert (entry.subject, entry.by) == ("use_case", use_case.sponsor.username)
    assert [c.field for c in entry.changes] == ["sponsor_signed_off_at"]
    assert entry.reason == "signed off by the sponsor"


def test_the_page_shows_moments_to_the_minute_and_subjects_in_words(use_case, head, client):
    services.use_case_sign_off(actor=use_case.sponsor, use_case=use_case, party="sponsor")
    signed = UseCase.objects.get(pk=use_case.pk).sponsor_signed_off_at
    client.force_login(head)

    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    api = client_for(head).get(f"/api/use-cases/{use_case.pk}/history/").json()

    shown = timezone.localtime(signed).strftime("%Y-%m-%d %H:%M")
    assert f"<td>Sponsor signed off at</td><td>—</td><td>{shown}</td>" in page
    assert "use case “" in page and "usecase" not in page
    assert api[0]["changes"][0]["new"] == signed.isoformat()  # the API keeps the exact moment


def test_the_page_names_fields_in_words_and_the_api_by_their_names(use_case, head, client):
    business = use_case.metrics.get(kind="business")
    services.metric_create(
        actor=head,
        use_case=use_case,
        name="Accuracy",
        unit="%",
        kind="technical",
        paired_with=business,
    )
    gap = services.data_gap_create(actor=head, use_case=use_case, description="No labels.")
    services.data_gap_update(actor=head, gap=gap, work_owner="Data team", blocks_production=True)
    client.force_login(head)

    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    api = client_for(head).get(f"/api/use-cases/{use_case.pk}/history/").json()

    history = page[page.index('id="change-history"') :]
    for words in ("Paired with", "Work owner", "Blocks production"):
        assert f"<td>{words}</td>" in history
    for name in ("paired_with", "work_owner", "blocks_production"):
        assert f"<td>{name}</td>" not in history
    api_fields = {change["field"] for entry in api for change in entry["changes"]}
    assert {"paired_with", "work_owner", "blocks_production"} <= api_fields
