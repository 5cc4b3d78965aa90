"""Registers for the import tests: files in the corpus with their expected records, and CSV and
workbook files made from rows."""

import csv
import io
import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from inventory.files import write_table

CORPUS = Path(__file__).parent.parent / "corpus" / "registers"


EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def csv_file(rows: list[dict], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """A CSV of ``rows`` with the union of their keys as the header, in that encoding."""
    headers = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(key, "") for key in headers])
    return out.getvalue().encode(encoding)


def xlsx_file(rows: list[dict]) -> bytes:
    headers = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    return write_table(
        headers, [[row.get(k, "") for k in headers] for row in rows], file_format="xlsx"
    )


USE_CASE = {"Record": "use case", "Reference": "INV-1", "Title": "Claims triage",
            "Department": "Claims", "Data existing": "Three years of claims",
            "Submitted": "2024-01-15", "Pilot": "2024-03-01"}  # fmt: skip


METRIC = {"Record": "metric", "Reference": "INV-1", "Metric": "Handling time", "Unit": "min",
          "Direction": "lower", "Baseline": "42", "Target": "30", "Cadence": "monthly"}  # fmt: skip


TECHNICAL = {"Record": "metric", "Reference": "INV-1", "Metric": "Accuracy", "Unit": "%",
             "Metric kind": "technical", "Paired with": "Handling time"}  # fmt: skip


READING = {"Record": "reading", "Reference": "INV-1", "Metric": "Handling time", "Value": "39.5",
           "Measured on": "2024-04-30"}  # fmt: skip


GAP = {"Record": "data gap", "Reference": "INV-1", "Data gap": "Paper archive",
       "Closing work": "Scanning", "Owner committed": "no"}  # fmt: skip


FILE = [USE_CASE, METRIC, TECHNICAL, READING, GAP]


def upload(client, content: bytes, *, name="inventory.csv", **data):
    return client.post(
        "/api/inventory/imports/",
        {"file": SimpleUploadedFile(name, content), **data},
        format="multipart",
    )
