"""Readings are evidence: never edited or deleted (model, queryset, database, admin, API),
corrected by a new reading that supersedes the old one, plausibly dated."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from core.errors import ConflictError
from core.models import AppendOnlyError
from gates import services as gate_services
from gates.defaults import criterion
from gates.models import EvidenceSnapshot
from governance import services as governance
from portfolio import services
from portfolio.models import MetricReading
from tests import factories
from tests.support.piloting import T0, client_for


def business(use_case):
    return use_case.metrics.get(kind="business")


@pytest.fixture
def reading(use_case, head):
    return services.reading_add(
        actor=head, metric=business(use_case), value=Decimal("7"), measured_at=T0
    )


# --- never edited or deleted ------------------------------------------------------------


def test_the_model_and_queryset_refuse_to_edit_or_delete_a_reading(reading):
    reading.value = Decimal("1")
    with pytest.raises(AppendOnlyError):
        reading.save()
    with pytest.raises(AppendOnlyError):
        reading.delete()
    with pytest.raises(AppendOnlyError):
        MetricReading.objects.filter(pk=reading.pk).update(value=1)
    with pytest.raises(AppendOnlyError):
        MetricReading.objects.filter(pk=reading.pk).delete()
    assert MetricReading.objects.get(pk=reading.pk).value == Decimal("7")


@pytest.mark.parametrize("sql", ["UPDATE {t} SET value = 1", "DELETE FROM {t}"])
def test_the_database_refuses_to_edit_or_delete_a_reading(reading, require_postgres, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(t="portfolio_metricreading"))


def test_a_draft_with_readings_is_not_deleted(use_case, head, reading):
    with pytest.raises(ConflictError) as excinfo:
        services.use_case_delete_draft(actor=head, use_case=use_case)

    assert excinfo.value.code == "has_readings"
    assert MetricReading.objects.filter(pk=reading.pk).exists()


# --- corrections --------------------------------------------------------------------------


def test_a_correction_supersedes_the_reading_and_both_stay(reading, head):
    correction = services.reading_correct(
        actor=head, reading=reading, value=Decimal("6.5"), reason="Typo in the export."
    )

    assert correction.supersedes_id == reading.pk
    assert (correction.recorded_by, correction.correction_reason) == (head, "Typo in the export.")
    assert correction.measured_at == reading.measured_at
    assert list(MetricReading.objects.filter(metric=reading.metric).order_by("id")) == [
        reading,
        correction,
    ]
    assert list(MetricReading.objects.current().filter(metric=reading.metric)) == [correction]


def test_a_correction_needs_a_reason(reading, head):
    with pytest.raises(ValidationError) as excinfo:
        services.reading_correct(actor=head, reading=reading, value=1, reason="  ")

    assert "reason" in excinfo.value.message_dict


def test_a_reading_is_corrected_once_then_the_correction_is_corrected(reading, head):
    first = services.reading_correct(actor=head, reading=reading, value=6, reason="Typo.")

    with pytest.raises(ConflictError) as excinfo:
        services.reading_correct(actor=head, reading=reading, value=5, reason="Again.")
    second = services.reading_correct(actor=head, reading=first, value=5, reason="Second look.")

    assert excinfo.value.code == "reading_superseded"
    assert excinfo.value.extra == {"superseded_by": first.pk}
    assert list(MetricReading.objects.current().filter(metric=reading.metric)) == [second]


def test_only_the_department_corrects(reading, other_head):
    with pytest.raises(PermissionDenied):
        services.reading_correct(actor=other_head, reading=reading, value=1, reason="Mine.")


def test_evaluation_reads_the_correction_and_the_frozen_snapshot_keeps_what_it_saw(
    use_case, head, board, default_criteria
):
    gate_services.criteria_set_create(
        gate="G0",
        criteria=[criterion("Cycle time at most 7", "metric_latest", "at_most", "7")],
    )
    services.use_case_submit(use_case=use_case, actor=head, at=T0 - dt.timedelta(days=10))
    metric = business(use_case)
    reading = services.reading_add(actor=head, metric=metric, value=Decimal("8"), measured_at=T0)
    review = governance.review_request(use_case=use_case, actor=head, at=T0)
    before = EvidenceSnapshot.objects.get(review=review)
    frozen = before.rows

    correction = services.reading_correct(
        actor=head, reading=reading, value=Decimal("6.5"), reason="Wrong export."
    )
    after = gate_services.review_evaluate(review=review, at=T0 + dt.timedelta(hours=1))

    def sources(snapshot):
        return {
            source["reading_id"]: source["value_exact"]
            for row in snapshot.rows
            for source in row["sources"]
            if "reading_id" in source
        }

    assert sources(before) == {reading.pk: "8.0000"}
    assert sources(after) == {correction.pk: "6.5000"}
    assert [row["outcome"] for row in before.rows] == ["fail"]
    assert [row["outcome"] for row in after.rows] == ["pass"]
    assert EvidenceSnapshot.objects.get(pk=before.pk).rows == frozen


# --- plausible dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("measured_at", "refused"),
    [
        (dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.UTC), True),
        (dt.datetime(2000, 1, 1, 0, 0, tzinfo=dt.UTC), False),
        (dt.datetime(1, 1, 1, tzinfo=dt.UTC), True),
    ],
)
def test_readings_before_the_earliest_date_are_refused(use_case, head, measured_at, refused):
    metric = business(use_case)
    if refused:
        with pytest.raises(ValidationError) as excinfo:
            services.reading_add(actor=head, metric=metric, value=1, measured_at=measured_at)
        assert excinfo.value.message_dict == {
            "measured_at": ["A reading cannot be dated before 2000-01-01."]
        }
    else:
        assert services.reading_add(actor=head, metric=metric, value=1, measured_at=measured_at)


def test_the_earliest_date_is_configurable(use_case, head, settings):
    settings.FLYWHEEL_EARLIEST_DATE = dt.date(2020, 1, 1)

    with pytest.raises(ValidationError):
        services.reading_add(
            actor=head,
            metric=business(use_case),
            value=1,
            measured_at=dt.datetime(2019, 12, 31, tzinfo=dt.UTC),
        )


def test_readings_in_the_future_are_refused(use_case, head):
    tomorrow = timezone.now() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        services.reading_add(actor=head, metric=business(use_case), value=1, measured_at=tomorrow)

    assert excinfo.value.message_dict == {"measured_at": ["A reading cannot be in the future."]}


def test_a_correction_is_dated_plausibly_too(reading, head):
    with pytest.raises(ValidationError):
        services.reading_correct(
            actor=head,
            reading=reading,
            value=1,
            reason="Date.",
            measured_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),
        )


# --- through the API --------------------------------------------------------------------------


def test_api_refuses_an_implausible_date_with_a_clear_400(use_case, head):
    response = client_for(head).post(
        "/api/readings/",
        {"metric": business(use_case).pk, "value": "1", "measured_at": "0001-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "measured_at": ["A reading cannot be dated before 2000-01-01."]
    }


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api_offers_no_edit_or_delete_of_a_reading(reading, admin_user, method):
    response = getattr(client_for(admin_user), method)(
        f"/api/readings/{reading.pk}/", {"value": "1"}, format="json"
    )

    assert response.status_code == 405
    assert MetricReading.objects.get(pk=reading.pk).value == Decimal("7")


def test_api_corrects_a_reading_and_lists_both(reading, head):
    client = client_for(head)

    response = client.post(
        f"/api/readings/{reading.pk}/correct/",
        {"value": "6.5", "reason": "Typo in the export."},
        format="json",
    )
    listed = client.get(f"/api/readings/?metric_id={reading.metric_id}").json()["results"]
    current = client.get(f"/api/readings/?metric_id={reading.metric_id}&current=true").json()

    assert response.status_code == 201
    body = response.json()
    assert (body["supersedes"], body["correction_reason"], body["value"]) == (
        reading.pk,
        "Typo in the export.",
        "6.5000",
    )
    by_id = {row["id"]: row for row in listed}
    assert by_id[reading.pk]["superseded_by"] == body["id"]
    assert by_id[body["id"]]["superseded_by"] is None
    assert [row["id"] for row in current["results"]] == [body["id"]]


def test_api_correction_refusals(reading, head, executive, other_head):
    url = f"/api/readings/{reading.pk}/correct/"
    no_reason = client_for(head).post(url, {"value": "6"}, format="json")
    by_executive = client_for(executive).post(url, {"value": "6", "reason": "x"}, format="json")
    by_other = client_for(other_head).post(url, {"value": "6", "reason": "x"}, format="json")
    client_for(head).post(url, {"value": "6", "reason": "Typo."}, format="json")
    twice = client_for(head).post(url, {"value": "5", "reason": "Again."}, format="json")

    assert (no_reason.status_code, list(no_reason.json()["fields"])) == (400, ["reason"])
    assert (by_executive.status_code, by_executive.json()["code"]) == (
        403,
        "executives_read_only",
    )
    assert (by_other.status_code, by_other.json()["code"]) == (404, "not_found")
    assert (twice.status_code, twice.json()["code"]) == (409, "reading_superseded")


# --- through the admin and the web pages ------------------------------------------------------


def test_the_admin_lists_readings_but_offers_no_add_change_or_delete(reading, admin_user, client):
    client.force_login(admin_user)
    base = "/admin/portfolio/metricreading/"

    listing = client.get(base)
    change = client.post(f"{base}{reading.pk}/change/", {"value": "1"})
    delete = client.post(f"{base}{reading.pk}/delete/", {"post": "yes"})
    add = client.get(f"{base}add/")
    bulk = client.post(
        base, {"action": "delete_selected", "_selected_action": [reading.pk], "post": "yes"}
    )

    assert listing.status_code == 200
    assert b"delete_selected" not in listing.content
    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert bulk.status_code in (200, 302)
    assert MetricReading.objects.get(pk=reading.pk).value == Decimal("7")


def test_the_use_case_page_refuses_an_implausible_reading_and_shows_the_correction(
    use_case, head, client, reading
):
    client.force_login(head)
    metric = business(use_case)

    refused = client.post(
        f"/use-cases/{use_case.pk}/readings/",
        {"metric": metric.pk, "value": "1", "measured_at": "1999-12-31T10:00", "note": ""},
        follow=True,
    )
    services.reading_correct(actor=head, reading=reading, value=Decimal("6.25"), reason="Typo.")
    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()

    assert "A reading cannot be dated before 2000-01-01." in refused.content.decode()
    assert MetricReading.objects.filter(metric=metric).count() == 2
    assert "6.25" in page
    assert "Typo." in page  # the correction, in the change history


def test_a_reading_of_another_department_is_not_corrected_through_a_factory_path(use_case):
    # A reading made any other way (a factory, an import) is append-only too.
    reading = factories.ReadingFactory(metric=business(use_case))

    with pytest.raises(AppendOnlyError):
        reading.save()


def test_the_use_case_page_corrects_a_reading_and_keeps_both(use_case, head, client, reading):
    client.force_login(head)
    url = f"/use-cases/{use_case.pk}/readings/correct/"

    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    no_reason = client.post(url, {"reading": reading.pk, "value": "6", "reason": ""}, follow=True)
    done = client.post(url, {"reading": reading.pk, "value": "6", "reason": "Typo."}, follow=True)
    again = client.post(url, {"reading": reading.pk, "value": "5", "reason": "x"}, follow=True)

    assert 'id="reading-correction"' in page
    assert "Why: This field is required." in no_reason.content.decode()
    assert "corrected; both are kept" in done.content.decode()
    # The corrected reading is no longer offered: a second correction of it is refused.
    assert "Reading to correct: Select a valid choice." in again.content.decode()
    correction = MetricReading.objects.get(supersedes=reading)
    assert (correction.value, correction.correction_reason) == (Decimal(6), "Typo.")
    assert MetricReading.objects.filter(metric=reading.metric).count() == 2


def test_only_the_department_corrects_on_the_page(use_case, reading, other_head, executive, client):
    url = f"/use-cases/{use_case.pk}/readings/correct/"
    body = {"reading": reading.pk, "value": "6", "reason": "Mine."}

    client.force_login(other_head)
    other = client.post(url, body)
    client.force_login(executive)
    by_executive = client.post(url, body)

    assert other.status_code == 404
    assert by_executive.status_code == 403
    assert not MetricReading.objects.filter(supersedes=reading).exists()
