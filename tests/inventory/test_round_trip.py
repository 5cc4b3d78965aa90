"""What is exported can be imported again: the export is the import template."""

import datetime as dt

import pytest

from core.columns import column_sets
from inventory.detect import read_table
from inventory.exporting import inventory_export, template_file
from inventory.extra_columns import export_headers
from inventory.services import inventory_import
from inventory.template import HEADERS
from portfolio.models import MetricReading, TransitionRecord, UseCase
from portfolio.services import reading_add, reading_correct, use_case_submit
from tests import factories
from tests.support.inventory import FILE, USE_CASE, csv_file


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(importer, claims, owner, file_format):
    rows = [{**USE_CASE, "Outcome owner": "olivia", "Problem statement": "'=not a formula",
             "Held": "2024-04-01", "Resumed": "2024-04-15"}, *FILE[1:]]  # fmt: skip
    assert inventory_import(
        actor=importer, content=csv_file(rows), filename="a.csv", dry_run=False
    )["applied"]
    exported = inventory_export(file_format=file_format)
    report = inventory_import(
        actor=importer, content=exported, filename=f"export.{file_format}", dry_run=False
    )
    assert report["errors"] == [] and report["refused"] == []
    assert [(r["record"], r["status"]) for r in report["rows"]] == [
        ("use case", "unchanged"), ("metric", "unchanged"), ("metric", "unchanged"),
        ("reading", "unchanged"), ("data gap", "unchanged"),
    ]  # fmt: skip
    assert UseCase.objects.get().problem_statement == "=not a formula"


def test_templates_round_trip(importer, claims):
    rows = [USE_CASE, {**USE_CASE, "Reference": "INV-2", "Template": "INV-1"}]
    inventory_import(actor=importer, content=csv_file(rows), filename="a.csv", dry_run=False)
    report = inventory_import(
        actor=importer, content=inventory_export(file_format="csv"), filename="e.csv"
    )
    assert report["errors"] == [] and report["refused"] == []
    assert {r["status"] for r in report["rows"]} == {"unchanged"}


def test_a_use_case_that_lived_in_flywheel_round_trips_by_its_flywheel_reference(importer, claims):
    native = factories.UseCaseFactory(department=claims)
    use_case_submit(use_case=native, actor=importer)
    reading_add(actor=importer, metric=native.metrics.first(), value="7.25")
    exported = inventory_export(file_format="xlsx")
    table = read_table(exported, "export.xlsx")
    assert table.headers == [*HEADERS, *export_headers()]  # other apps' columns last
    assert table.rows[0][1] == f"FW-{native.pk}"
    report = inventory_import(actor=importer, content=exported, filename="e.xlsx", dry_run=False)
    assert report["errors"] == [] and report["refused"] == []
    assert {r["status"] for r in report["rows"]} == {"unchanged"}
    assert UseCase.objects.count() == 1 and MetricReading.objects.count() == 1
    assert TransitionRecord.objects.get().kind == "recorded"


def test_the_template_is_the_export_format_and_its_examples_import(importer, claims):
    factories.UserFactory(username="jane", email="jane@example.com")
    for file_format in ("csv", "xlsx"):
        report = inventory_import(
            actor=importer,
            content=template_file(file_format=file_format),
            filename=f"t.{file_format}",
        )
        assert report["errors"] == []
        assert [m["field"] for m in report["mapping"]][:3] == ["record", "reference", "title"]


def test_export_queries_do_not_grow_with_the_portfolio(
    importer, claims, django_assert_max_num_queries
):
    def add(count):
        start = UseCase.objects.count()
        rows = [{**USE_CASE, "Reference": f"INV-{start + i}"} for i in range(count)]
        inventory_import(actor=importer, content=csv_file(rows), filename="n.csv", dry_run=False)

    # The organisation's own fields (1), the order (1), then per thousand use cases: them,
    # records, metrics, readings, lessons, gaps (6), and one per column set other apps
    # register (core.columns; components: its links).
    queries = 8 + len(column_sets())
    add(3)
    with django_assert_max_num_queries(queries):
        inventory_export(file_format="csv")
    add(30)
    with django_assert_max_num_queries(queries):
        inventory_export(file_format="csv")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_corrected_reading_is_exported_as_its_correction_and_round_trips(
    importer, claims, file_format
):
    native = factories.UseCaseFactory(department=claims)
    use_case_submit(use_case=native, actor=importer)
    metric = native.metrics.get(kind="business")
    at = dt.datetime(2025, 3, 3, tzinfo=dt.UTC)
    wrong = reading_add(actor=importer, metric=metric, value="70", measured_at=at)
    reading_correct(actor=importer, reading=wrong, value="7", reason="Typo in the meter.")

    exported = inventory_export(file_format=file_format)
    table = read_table(exported, f"export.{file_format}")
    column = {header: index for index, header in enumerate(table.headers)}
    readings = [row for row in table.rows if row[column["Record"]] == "reading"]
    report = inventory_import(
        actor=importer, content=exported, filename=f"e.{file_format}", dry_run=False
    )

    assert [(str(r[column["Value"]]), r[column["Correction"]]) for r in readings] == [
        ("7", "corrects 70 measured 2025-03-03: Typo in the meter.")
    ]
    assert report["errors"] == [] and report["refused"] == []
    assert {r["status"] for r in report["rows"]} == {"unchanged"}
    assert MetricReading.objects.filter(metric=metric).count() == 2
