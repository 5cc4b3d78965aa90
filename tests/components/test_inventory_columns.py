"""A use case's models, datasets, vendors and agents as columns of the inventory's import and
export (components.inventory_columns through core.columns): mapped by header like any
column, a dry run that writes nothing, found or created by kind and name, linked once, and
the export read back unchanged."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from components import services
from components.inventory_columns import columns_plan
from components.models import Component, ComponentLink
from core.columns import UseCaseCells
from inventory.exporting import inventory_export
from inventory.services import inventory_import
from tests import factories
from tests.support.inventory import csv_file

ROW = {"Record": "use case", "Reference": "INV-1", "Title": "Claims triage",
       "Department": "Claims", "Submitted": "2024-01-15"}  # fmt: skip


@pytest.fixture
def importer(db):
    factories.DepartmentFactory(name="Claims", slug="claims")
    return factories.administrator(username="importer", email="importer@example.com")


def run(actor, rows, *, dry_run=False):
    return inventory_import(actor=actor, content=csv_file(rows), filename="i.csv", dry_run=dry_run)


def test_components_by_kind_and_name_a_dry_run_then_the_import_then_the_export_read_back(
    importer,
):
    acme = services.component_create(actor=importer, kind="vendor", name="Acme Models GmbH")
    rows = [
        {
            **ROW,
            "AI models": "fraud-gbm (1.2)",  # a synonym: mapped to Models
            "Datasets": "claims history; claims history",  # named twice, linked once
            "Vendors": "ACME models gmbh",  # found whatever the case
            "Agents": "",
        }
    ]
    dry = run(importer, rows, dry_run=True)
    assert dry["errors"] == []
    assert {c["column"]: c["field"] for c in dry["mapping"]}["AI models"] == "models"
    # to create: fraud-gbm 1.2 and claims history; found: Acme; links: 3 (one per component)
    assert dry["extra_columns"] == {
        "components": {"components_to_create": 2, "components_found": 1, "links_to_add": 3}
    }
    assert Component.objects.count() == 1 and not ComponentLink.objects.exists()

    assert run(importer, rows)["applied"]
    links = {
        (link.component.kind, link.component.name, link.component.version, link.role)
        for link in ComponentLink.objects.select_related("component", "use_case")
    }
    assert links == {
        ("model", "fraud-gbm", "1.2", "production_model"),
        ("dataset", "claims history", "", "input_data"),
        ("vendor", "Acme Models GmbH", "", "provider"),
    }
    assert Component.objects.get(kind="model").history.get().history_change_reason == (
        "inventory import"
    )
    assert ComponentLink.objects.get(component=acme).use_case.external_reference == "INV-1"

    exported = inventory_export(file_format="csv").decode("utf-8-sig")
    use_case_row = next(csv.DictReader(io.StringIO(exported)))
    assert (use_case_row["Models"], use_case_row["Datasets"], use_case_row["Vendors"]) == (
        "fraud-gbm (1.2)",
        "claims history",
        "Acme Models GmbH",
    )
    again = inventory_import(
        actor=importer, content=exported.encode(), filename="e.csv", dry_run=False
    )
    assert again["errors"] == [] and again["refused"] == []
    assert again["extra_columns"] == {
        "components": {"components_to_create": 0, "components_found": 3, "links_to_add": 0}
    }
    assert ComponentLink.objects.count() == 3 and Component.objects.count() == 3


def test_an_ambiguous_name_or_a_version_without_a_name_is_an_error_and_nothing_is_written(
    importer,
):
    for version in ("1.0", "2.0"):
        services.component_create(actor=importer, kind="model", name="gbm", version=version)
    report = run(importer, [{**ROW, "Models": "gbm", "Datasets": "(3)"}])
    assert sorted((e["column"], e["message"]) for e in report["errors"]) == [
        ("Datasets", "'(3)' has a version but no name."),
        ("Models", "'gbm' names several models: gbm (1.0), gbm (2.0); name one."),
    ]
    assert not report["applied"]
    assert Component.objects.count() == 2 and not ComponentLink.objects.exists()
    named = run(importer, [{**ROW, "Models": "gbm (2.0)"}])
    assert named["errors"] == [] and named["applied"]
    assert ComponentLink.objects.get().component.version == "2.0"


@pytest.mark.django_db
def test_the_dry_run_of_the_columns_reads_in_queries_constant_in_the_rows():
    def queries(rows: int) -> int:
        cells = [
            UseCaseCells(
                row=n + 2,
                reference=f"R{n}",
                use_case=SimpleNamespace(pk=n + 1),
                cells={"models": f"m{n}; shared", "vendors": "acme", "agents": f"a{n}"},
            )
            for n in range(rows)
        ]
        with CaptureQueriesContext(connection) as captured:
            planned = columns_plan(cells)
        assert planned.summary["links_to_add"] == 4 * rows  # m<n>, shared, acme, a<n>
        assert planned.summary["components_to_create"] == 2 * rows + 2  # m<n>, a<n>; twice
        return len(captured)

    assert queries(2) == queries(200) == 2  # the components named, the links there are
