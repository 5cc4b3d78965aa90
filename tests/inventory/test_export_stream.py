"""The inventory export streams: rows read a thousand use cases at a time and written as they
come, the same file whatever the chunk; and no stored text makes it fail (a control character
that an .xlsx cell cannot hold is dropped from that cell, not a 500)."""

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from inventory import exporting
from inventory.extra_columns import export_headers
from inventory.files import write_table
from inventory.services import inventory_import
from inventory.template import HEADERS
from portfolio.models import UseCase
from tests.support.inventory import FILE, USE_CASE, csv_file, upload


@pytest.fixture
def api(importer):
    client = APIClient()
    client.force_authenticate(importer)
    return client


def load(importer, count: int) -> None:
    rows = [{**USE_CASE, "Reference": f"INV-{n}", "Title": f"Use case {n}"} for n in range(count)]
    report = inventory_import(
        actor=importer, content=csv_file([*rows, *FILE[1:]]), filename="n.csv", dry_run=False
    )
    assert report["errors"] == []


def test_the_file_is_the_same_whatever_the_chunk(importer, claims, monkeypatch):
    load(importer, 5)
    whole = {f: exporting.inventory_export(file_format=f) for f in ("csv", "xlsx")}

    monkeypatch.setattr(exporting, "EXPORT_CHUNK", 2)  # 5 use cases: chunks of 2, 2, 1
    chunked_csv = exporting.inventory_export(file_format="csv")
    chunked_xlsx = exporting.inventory_export(file_format="xlsx")

    assert chunked_csv == whole["csv"]
    sheets = [openpyxl.load_workbook(io.BytesIO(c)).active for c in (chunked_xlsx, whole["xlsx"])]
    assert [list(s.values) for s in sheets[:1]] == [list(s.values) for s in sheets[1:]]
    # The CSV is byte for byte what the whole-table writer made before streaming.
    rows = list(exporting.inventory_rows())
    assert chunked_csv == write_table([*HEADERS, *export_headers()], rows, file_format="csv")
    assert len([r for r in rows if r[0] == "use case"]) == UseCase.objects.count() == 5


def test_the_api_streams_the_export(api, claims):
    upload(api, csv_file(FILE), dry_run="false")

    for file_format, start in (("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK")):
        response = api.get(f"/api/inventory/export/?file_format={file_format}")
        assert response.status_code == 200
        assert response.streaming
        content = b"".join(response.streaming_content)
        assert content.startswith(start)


def test_a_control_character_in_stored_text_does_not_fail_the_spreadsheet(api, claims):
    upload(api, csv_file(FILE), dry_run="false")
    # Text pasted from elsewhere: a vertical tab and a NUL-like control character (stored
    # as they came; an .xlsx cell cannot hold them, and openpyxl refuses the whole file).
    UseCase.objects.update(title="Claims\x0b triage\x01", problem_statement="a\x1fb")

    response = api.get("/api/inventory/export/?file_format=xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    use_case_row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0])
    # Each control character leaves as U+FFFD, in the spreadsheet as in the CSV (core.text).
    assert use_case_row[header.index("Title")] == "Claims\ufffd triage\ufffd"
    csv_response = api.get("/api/inventory/export/?file_format=csv")
    assert csv_response.status_code == 200
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert "Claims\ufffd triage\ufffd" in text
    assert "\x0b" not in text
