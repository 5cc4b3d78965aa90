"""CSV exports are streamed from a server-side cursor: the same rows and values as the JSON
list, in its order, a fixed number of queries whatever the row count, and every cell safe to
open in a spreadsheet."""

import csv
import io
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.api.csv import JSON_MOMENT, csv_moment, csv_safe
from tests import factories


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def exported(client, url) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        assert isinstance(response, StreamingHttpResponse)
        rows = csv_rows(response)
    return rows, len(queries)


def test_the_use_case_export_holds_the_json_lists_values_in_its_order(world):
    factories.UseCaseFactory(
        department=world.department,
        title="Priced",
        build_cost=Decimal("100000.00"),
        run_cost_yearly=Decimal("20000.00"),
        expected_benefit_yearly=Decimal("240000.00"),
    )
    client = world.client("head")

    rows, _ = exported(client, "/api/use-cases/?format=csv")
    listed = client.get("/api/use-cases/").json()["results"]

    assert [int(row["id"]) for row in rows] == [item["id"] for item in listed]
    for row, item in zip(rows, listed, strict=True):
        for name, value in item.items():
            if name == "custom":  # one column per field (test_custom_field_surfaces.py)
                assert all(row[f"custom.{k}"] == str(v) for k, v in value.items())
                continue
            expected = "; ".join(value) if isinstance(value, list) else value
            expected = "" if expected is None else str(expected)
            if JSON_MOMENT.fullmatch(expected):  # moments in UTC to the second
                expected = csv_moment(datetime.fromisoformat(expected))
            assert row[name] == expected, name
    priced = next(row for row in rows if row["title"] == "Priced")
    # Payback is exact (no rounding before display): 100,000 x 12 / (240,000 - 20,000)
    # = 5.4545... months, shown to two places.
    assert (priced["expected_roi"], priced["payback_months"]) == ("2.0000", "5.45")


def test_every_export_costs_the_same_queries_for_few_rows_or_many(world):
    client = world.client("admin")
    urls = ["/api/use-cases/?format=csv", "/api/people/?format=csv", "/api/metrics/?format=csv"]
    # Each measured after a first request (the person's roles are cached by then).
    few = {url: [exported(client, url) for _ in range(2)][1][1] for url in urls}
    for n in range(12):
        use_case = factories.UseCaseFactory(department=world.department, title=f"More {n}")
        factories.MetricFactory(use_case=use_case)
        factories.UserFactory()

    many = {url: [exported(client, url) for _ in range(2)][1] for url in urls}

    assert len(many["/api/use-cases/?format=csv"][0]) >= 15
    assert {url: queries for url, (_, queries) in many.items()} == few


def test_a_formula_in_a_cell_is_neutralised(world):
    factories.UseCaseFactory(department=world.department, title='=HYPERLINK("http://x","y")')

    rows, _ = exported(world.client("admin"), "/api/use-cases/?format=csv")

    titles = {row["title"] for row in rows}
    assert '\'=HYPERLINK("http://x","y")' in titles
    assert '=HYPERLINK("http://x","y")' not in titles


def test_csv_safe_leaves_numbers_and_plain_text_alone():
    assert csv_safe("-12.50") == "-12.50"
    assert csv_safe(Decimal("-3")) == Decimal("-3")
    assert csv_safe("+44 20 7946 0000") == "'+44 20 7946 0000"
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_safe("Claims") == "Claims"
    assert csv_safe(None) is None  # the writer leaves an empty cell
    assert csv_safe(True) is True


def test_the_admin_export_streams_in_a_fixed_number_of_queries(client, world):
    client.force_login(world.users["admin"])
    url = reverse("admin:portfolio_usecase_export")
    few = [exported(client, url) for _ in range(2)][1][1]
    for n in range(10):
        factories.UseCaseFactory(department=world.other_department, title=f"=cmd {n}")

    rows, queries = [exported(client, url) for _ in range(2)][1]

    assert queries == few
    assert len(rows) >= 13
    assert "'=cmd 0" in {row["Title"] for row in rows}
    assert {row["Department"] for row in rows} >= {str(world.other_department)}
