"""Helpers for the inventory tests: files written the way spreadsheets write them."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import EXECUTIVES_GROUP
from inventory.files import write_table
from tests import factories

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


@pytest.fixture
def importer(db):
    return factories.administrator(username="importer", email="importer@example.com")


@pytest.fixture
def claims(db):
    return factories.DepartmentFactory(name="Claims", slug="claims")


@pytest.fixture
def owner(db):
    return factories.UserFactory(username="olivia", email="olivia@example.com")


@pytest.fixture
def cast(db):
    """The people and departments the registers name (expected.json)."""
    executives, _ = Group.objects.get_or_create(name=EXECUTIVES_GROUP)
    User = get_user_model()
    for person in EXPECTED["people"]:
        user = User.objects.create_user(
            username=person["username"], email=person["email"],
            first_name=person["first_name"], last_name=person["last_name"],
        )  # fmt: skip
        if person["executive"]:
            user.groups.add(executives)
    for name in EXPECTED["departments"]:
        factories.DepartmentFactory(name=name, slug=name.lower())
    return factories.administrator(username="pmo-admin")
