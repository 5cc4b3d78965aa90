"""Lists: filters, ordering, search, pagination and the CSV export of the same rows."""

import csv
import io

from portfolio.choices import Horizon, Knowledge
from tests import factories
from tests.factories import submitted


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def test_filter_by_state_and_playbook(world):
    discovery = submitted(
        world.department,
        world.users["head"],
        title="Discovery one",
        horizon=Horizon.SHORT,
        knowledge=Knowledge.HYPOTHESES,
    )

    response = world.client("executive").get("/api/use-cases/?state=submitted&playbook=discovery")

    assert [row["id"] for row in response.json()["results"]] == [discovery.pk]


def test_search_and_ordering(world):
    client = world.client("admin")

    found = client.get("/api/use-cases/?q=claims&ordering=title").json()["results"]

    assert [row["title"] for row in found] == ["Claims draft", "Claims second", "Claims submitted"]


def test_date_range_filter(world):
    client = world.client("admin")
    day = world.submitted.submitted_at.date().isoformat()

    inside = client.get(f"/api/use-cases/?submitted_from={day}&submitted_to={day}").json()
    before = client.get("/api/use-cases/?submitted_to=2000-01-01").json()

    assert {row["id"] for row in inside["results"]} == {world.submitted.pk, world.second.pk}
    assert before["count"] == 0


def test_an_invalid_filter_value_is_400_per_field(world):
    response = world.client("admin").get("/api/use-cases/?state=flying&department_id=abc")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"state", "department_id"}


def test_pagination_counts_and_an_out_of_range_page_is_404(world):
    for n in range(3):
        factories.UseCaseFactory(department=world.department, title=f"More {n}")

    body = world.client("admin").get("/api/use-cases/").json()

    assert (body["count"], len(body["results"]), body["next"]) == (6, 6, None)
    assert world.client("admin").get("/api/use-cases/?page=9").status_code == 404


def test_csv_export_holds_the_same_filtered_rows_flattened(world):
    client = world.client("admin")

    response = client.get("/api/use-cases/?format=csv&state=submitted&q=claims+submitted")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["title"] for row in rows] == ["Claims submitted"]
    assert rows[0]["available_transitions"] == "hold; kill"


def test_csv_flattens_nested_rows(world):
    response = world.client("admin").get("/api/people/?format=csv")

    rows = csv_rows(response)
    head = next(row for row in rows if row["username"] == "claims-head")
    assert '"role": "head"' in head["memberships"]


def test_every_list_exports_csv(world):
    from portfolio.api.urls import router

    client = world.client("admin")
    for prefix, _, _ in router.registry:
        response = client.get(f"/api/{prefix}/?format=csv")
        assert response.status_code == 200, prefix
        assert response["Content-Type"].startswith("text/csv"), prefix


def test_filter_by_open_flag(world):
    from portfolio.models import Flag
    from portfolio.models.velocity import FlagKind

    Flag.objects.create(use_case=world.submitted, kind=FlagKind.STALE_METRICS, reason="Quiet.")
    Flag.objects.create(
        use_case=world.second,
        kind=FlagKind.STALE_METRICS,
        reason="Was quiet.",
        cleared_at="2026-01-02T00:00Z",
    )

    response = world.client("executive").get("/api/use-cases/?flag=stale_metrics")

    assert [row["id"] for row in response.json()["results"]] == [world.submitted.pk]


def test_the_diagnostic_has_six_lines(world):
    response = world.client("board").get(f"/api/use-cases/{world.submitted.pk}/diagnostic/")

    body = response.json()
    assert [line["key"] for line in body["lines"]] == [
        "outcome_ownership",
        "data_reality",
        "metric_integrity",
        "alignment",
        "scale_plan",
        "feedback_latency",
    ]
    assert body["stalled"] == (body["red_lines"] >= 3)


def test_a_list_without_filters_skips_the_filterset_and_answers_the_same(world):
    factories.UseCaseFactory(department=world.other_department)
    client = world.client("admin")
    everything = client.get("/api/use-cases/?ordering=id").json()
    filtered = client.get(f"/api/use-cases/?ordering=id&department_id={world.department.pk}")
    refused = client.get("/api/use-cases/?department_id=zero")

    assert everything["count"] > filtered.json()["count"] > 0
    assert {row["department"] for row in filtered.json()["results"]} == {world.department.pk}
    assert refused.status_code == 400 and "department_id" in refused.json()["fields"]
