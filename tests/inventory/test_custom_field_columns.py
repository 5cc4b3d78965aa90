"""A custom intake field defined once is a column of the inventory file: mapped by its label
like any other column on import (checked by kind, naming the field by label and key), and
written after the template's columns on export, so the export imports again unchanged.
The columns are registered with other apps' columns (core.columns), read when used."""

import csv
import io

import pytest

from core.columns import column_sets
from inventory.exporting import inventory_export, template_file
from inventory.extra_columns import export_columns
from inventory.services import inventory_import
from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from portfolio.models import UseCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def fields(importer):
    services.custom_field_create(
        actor=importer, key="vendor_risk", label="Vendor risk", kind=Kind.CHOICE,
        choices=["Low", "High"],
    )  # fmt: skip
    services.custom_field_create(actor=importer, key="go_live", label="Go-live", kind=Kind.DATE)


def as_csv(header: list[str], *rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([header, *rows])
    return out.getvalue().encode()


def run(importer, content: bytes, *, dry_run=False) -> dict:
    return inventory_import(
        actor=importer, content=content, filename="register.csv", dry_run=dry_run
    )


def test_a_custom_column_is_mapped_by_its_label_and_imported(importer, claims, fields):
    content = as_csv(
        ["Reference", "Title", "Department", "Vendor risk", "Go-live"],
        ["INV-1", "Claims bot", "Claims", "High", "2026-03-31"],
    )

    report = run(importer, content)

    assert report["error_count"] == 0, report["errors"]
    mapped = {m["column"]: m["field"] for m in report["mapping"]}
    assert mapped["Vendor risk"] == "custom.vendor_risk"
    use_case = UseCase.objects.get(external_reference="INV-1")
    assert use_case.custom == {"vendor_risk": "High", "go_live": "2026-03-31"}


def test_a_cell_of_the_wrong_kind_is_a_row_error_naming_label_and_key(importer, claims, fields):
    content = as_csv(
        ["Reference", "Title", "Department", "Vendor risk"],
        ["INV-1", "Claims bot", "Claims", "Medium"],
    )

    report = run(importer, content)

    assert [e["message"] for e in report["errors"]] == [
        "Vendor risk (vendor_risk): Expected one of: Low, High."
    ]
    assert not UseCase.objects.exists()


def test_the_export_writes_the_answers_and_imports_again_unchanged(importer, claims, fields):
    run(importer, as_csv(["Reference", "Title", "Department", "Vendor risk"],
                         ["INV-1", "Claims bot", "Claims", "Low"]))  # fmt: skip
    exported = inventory_export(file_format="csv")
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))

    again = run(importer, exported, dry_run=True)

    assert rows[0]["Vendor risk"] == "Low" and rows[0]["Go-live"] == ""
    assert again["error_count"] == 0, again["errors"]
    assert again["counts"]["use case"]["unchanged"] == 1


def test_a_changed_answer_is_imported_through_the_intake_service(importer, claims, fields):
    run(importer, as_csv(["Reference", "Title", "Department", "Vendor risk"],
                         ["INV-1", "Claims bot", "Claims", "Low"]))  # fmt: skip

    report = run(importer, as_csv(["Reference", "Vendor risk"], ["INV-1", "High"]))

    assert report["counts"]["use case"]["changed"] == 1, report
    assert UseCase.objects.get(external_reference="INV-1").custom == {"vendor_risk": "High"}


def test_the_fields_are_one_registered_column_set_read_when_used(importer, fields):
    registered = [s for s in column_sets() if s.name == "custom"]
    keys = [column.key for column in export_columns()]
    header = next(csv.reader(io.StringIO(template_file(file_format="csv").decode())))

    assert len(registered) == 1 and registered[0].columns == ()  # read from the database
    assert keys[-2:] == ["custom.vendor_risk", "custom.go_live"]  # after the fixed sets'
    assert header[-2:] == ["Vendor risk", "Go-live"]  # the empty template offers them too
