"""Files as people really send them: encodings, delimiters, formulas, the wrong type, empty."""

import io
from datetime import date

import openpyxl
import pytest

from inventory.services import inventory_import
from portfolio.models import UseCase
from tests.support.inventory import csv_file, xlsx_file

ROW = {"Reference": "INV-1", "Title": "Réclamations: tri automatique", "Department": "Claims",
       "Submitted": "15/01/2024"}  # fmt: skip


# Characters only Windows-1252 has (dash, curly quotes, euro), not Latin-1.
WINDOWS_TITLE = "R\u00e9clamations \u2013 tri \u201cautomatique\u201d \u20ac"


def dry_run(actor, content: bytes, filename: str = "inventory.csv", **options) -> dict:
    return inventory_import(actor=actor, content=content, filename=filename, options=options)


@pytest.mark.parametrize(
    "encoding, expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("latin-1", "windows-1252"),
     ("cp1252", "windows-1252"), ("utf-16", "utf-16")],
)  # fmt: skip
def test_every_encoding_excel_writes_is_read(importer, claims, encoding, expected):
    row = {
        **ROW,
        "Title": WINDOWS_TITLE if encoding == "cp1252" else ROW["Title"],
    }
    report = dry_run(importer, csv_file([row], encoding=encoding))
    assert report["errors"] == []
    assert report["encoding"] == expected
    applied = inventory_import(
        actor=importer, content=csv_file([row], encoding=encoding), filename="i.csv", dry_run=False
    )
    assert applied["applied"]
    assert UseCase.objects.get().title == row["Title"]


def test_semicolon_separated_csv_from_a_european_excel(importer, claims):
    report = dry_run(importer, csv_file([ROW], delimiter=";"))
    assert report["errors"] == [] and report["counts"]["use case"]["created"] == 1


def test_xlsx_with_real_date_cells(importer, claims):
    content = xlsx_file([{**ROW, "Submitted": date(2024, 1, 15)}])
    report = dry_run(importer, content, "inventory.xlsx")
    assert report["errors"] == [] and report["format"] == "xlsx"


def test_a_formula_in_an_xlsx_cell_is_reported_with_its_row_and_column(importer, claims):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Reference", "Title", "Department", "Build cost"])
    sheet.append(["INV-1", "Triage", "Claims", 1000])
    sheet.append(["INV-2", "Routing", "Claims", "=D2*2"])
    out = io.BytesIO()
    book.save(out)
    report = dry_run(importer, out.getvalue(), "inventory.xlsx")
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "Build cost")]
    assert "formula" in report["errors"][0]["message"]
    assert not UseCase.objects.exists()


def test_a_formula_typed_into_a_csv_is_reported(importer, claims):
    report = dry_run(importer, csv_file([{**ROW, "Title": '=HYPERLINK("http://x")'}]))
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (2, "Title", "invalid")
    ]


@pytest.mark.parametrize(
    "content, filename, code",
    [
        (b"", "inventory.csv", "empty_file"),
        (b"   \r\n", "inventory.csv", "empty_file"),
        (b"%PDF-1.7 binary", "inventory.pdf", "unsupported_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "inventory.xls", "unsupported_type"),
        (b"PK\x03\x04 not really a workbook", "inventory.xlsx", "bad_xlsx"),
        (b"PK\x03\x04 a zip", "inventory.zip", "unsupported_type"),
        (b"\x00\x01\x02binary", "inventory.csv", "not_text"),
        (b"Reference,Title\r\n", "inventory.csv", "empty_file"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_error_never_a_crash(
    importer, content, filename, code
):
    report = dry_run(importer, content, filename)
    assert report["applied"] is False
    assert report["errors"][0]["code"] == code
    assert report["errors"][0]["message"]


def test_a_file_without_a_reference_column_is_refused(importer, claims):
    report = dry_run(importer, csv_file([{"Title": "Triage", "Department": "Claims"}]))
    assert [(e["row"], e["code"]) for e in report["errors"]] == [(None, "missing_column")]


def test_duplicate_references_are_errors_naming_the_first_row(importer, claims):
    report = dry_run(importer, csv_file([ROW, {**ROW, "Title": "Again"}]))
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "Reference", "duplicate_reference")
    ]
    assert "row 2" in report["errors"][0]["message"]


def test_unknown_department_and_person_are_reported_then_created_on_request(importer, claims):
    row = {**ROW, "Department": "Legal", "Outcome owner": "nobody@example.com"}
    report = dry_run(importer, csv_file([row]))
    assert {(e["column"], e["code"]) for e in report["errors"]} == {
        ("Department", "unknown_department"),
        ("Outcome owner", "unknown_person"),
    }
    applied = inventory_import(
        actor=importer, content=csv_file([row]), filename="i.csv", dry_run=False,
        options={"create_departments": True, "create_people": True},
    )  # fmt: skip
    assert applied["applied"] and applied["new_departments"] == ["legal"]
    use_case = UseCase.objects.get()
    assert use_case.department.name == "Legal"
    assert use_case.outcome_owner.email == "nobody@example.com"
    assert not use_case.outcome_owner.has_usable_password()


def test_dates_before_2000_in_the_future_or_unreadable_are_row_errors(importer, claims):
    rows = [
        {**ROW, "Reference": "A", "Submitted": "1999-12-31"},
        {**ROW, "Reference": "B", "Submitted": "2099-01-01"},
        {**ROW, "Reference": "C", "Submitted": "soon"},
        {**ROW, "Reference": "D", "Submitted": "2000-01-01"},
    ]
    report = dry_run(importer, csv_file(rows))
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (2, "Submitted", "implausible_date"),
        (3, "Submitted", "illegal_history"),
        (4, "Submitted", "invalid"),
    ]


def test_cells_beyond_the_header_are_listed_as_ignored_not_a_broken_file(importer, claims):
    content = b"Reference,Title,Department\r\nA,Triage,Claims,x,y\r\nB,Routing,Claims,z\r\n"
    report = dry_run(importer, content)
    assert report["errors"] == []
    # C1 is 'x' and 'z' in column D (2 cells), 'y' in column E (1 cell).
    assert report["ignored"] == [
        {"column": "", "letter": "D", "cells": 2, "why": "no header above it"},
        {"column": "", "letter": "E", "cells": 1, "why": "no header above it"},
    ]
