"""Every CSV writes a moment the same way: ISO 8601 in UTC to the second, "...T10:15:00Z"
(no microseconds, whatever the current time zone): the API's lists (the use case export's
moments are formatted by the database), a detail asked for as CSV, and the admin's export."""

import csv
import datetime as dt
import io
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from core.api.csv import csv_moment
from portfolio.models import Metric, UseCase
from tests import factories

# 10:15:00.654321 in UTC: 11:15 in Paris in winter.
MOMENT = dt.datetime(2026, 11, 30, 10, 15, 0, 654321, tzinfo=dt.UTC)
WRITTEN = "2026-11-30T10:15:00Z"


def rows(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_csv_moment_is_utc_to_the_second():
    paris = MOMENT.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert csv_moment(MOMENT) == WRITTEN
    assert csv_moment(paris) == WRITTEN
    assert csv_moment(MOMENT + dt.timedelta(microseconds=345678)) == "2026-11-30T10:15:00Z"
    assert csv_moment(MOMENT + dt.timedelta(seconds=1)) == "2026-11-30T10:15:01Z"


def test_the_use_case_export_writes_its_moments_in_utc_to_the_second(world):
    UseCase.objects.filter(pk=world.submitted.pk).update(
        submitted_at=MOMENT, created_at=MOMENT, sponsor_signed_off_at=None
    )
    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        response = world.client("admin").get("/api/use-cases/?format=csv")
        listed = world.client("admin").get(f"/api/use-cases/{world.submitted.pk}/").json()

    row = next(r for r in rows(response) if int(r["id"]) == world.submitted.pk)
    assert (row["submitted_at"], row["created_at"]) == (WRITTEN, WRITTEN)
    assert row["sponsor_signed_off_at"] == ""
    # The JSON keeps its own form (the current time zone, microseconds).
    assert listed["submitted_at"] == "2026-11-30T11:15:00.654321+01:00"


def test_other_lists_and_details_as_csv_write_the_same_moments(world):
    metric = factories.MetricFactory(use_case=world.submitted)
    Metric.objects.filter(pk=metric.pk).update(created_at=MOMENT)
    UseCase.objects.filter(pk=world.submitted.pk).update(state_changed_at=MOMENT)
    client = world.client("admin")

    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        listed = rows(client.get("/api/metrics/?format=csv"))
        detail = rows(client.get(f"/api/use-cases/{world.submitted.pk}/?format=csv"))

    assert next(r for r in listed if int(r["id"]) == metric.pk)["created_at"] == WRITTEN
    assert detail[0]["state_changed_at"] == WRITTEN


def test_the_admin_export_writes_the_same_moments(client, world):
    UseCase.objects.filter(pk=world.submitted.pk).update(submitted_at=MOMENT)
    client.force_login(world.users["admin"])

    exported = rows(client.get(reverse("admin:portfolio_usecase_export")))

    row = next(r for r in exported if r["Title"] == world.submitted.title)
    assert row["Submitted at"] == WRITTEN
