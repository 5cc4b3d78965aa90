"""Exports are safe to open in a spreadsheet: a cell that would start a formula is neutralised,
in the API's CSV and in the admin's export (one function, core.api.csv.csv_safe)."""

import csv
import io

import pytest

from core.api.csv import csv_safe
from portfolio.models import UseCase


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("Claims triage", "Claims triage"),
        ("", ""),
        (-4, -4),
        (None, None),
    ],
)
def test_csv_safe(value, safe):
    assert csv_safe(value) == safe


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_api_csv_neutralises_formulas_and_keeps_numbers(world):
    UseCase.objects.filter(pk=world.draft.pk).update(
        title='=HYPERLINK("http://x")', build_cost="-0"
    )
    response = world.client("admin").get("/api/use-cases/?format=csv")

    assert response.status_code == 200
    titles = {row["title"] for row in rows(b"".join(response.streaming_content))}
    assert '\'=HYPERLINK("http://x")' in titles
    assert not any(title.startswith("=") for title in titles)


def test_the_admin_export_neutralises_formulas(client, world):
    UseCase.objects.filter(pk=world.draft.pk).update(title="@cmd")
    client.force_login(world.users["admin"])

    response = client.get("/admin/portfolio/usecase/export.csv")

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "'@cmd" in body
    assert "\n@cmd" not in body and ",@cmd" not in body
