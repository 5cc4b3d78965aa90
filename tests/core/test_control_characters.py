"""Text that leaves safely: control characters (other than tab, line feed and return) are
refused at input on every interface, naming the field, and text already stored (written
straight into the database) is made safe wherever it leaves: the CSV list, the inventory
spreadsheet, the PDF pack, chat and webhook bodies. One odd cell never fails an export."""

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from console.web.forms import DataGapForm
from core.text import CONTROL_MESSAGE, has_control, printable
from integrations import formats
from integrations.models import EndpointKind
from inventory.cells import CellError, text
from portfolio.models import Department, UseCase
from tests.support.console import decided

ODD = "Claims\x0btriage"  # a vertical tab, as pasted from a word processor
SAFE = "Claims\ufffdtriage"


def test_the_rule_keeps_tab_and_line_breaks_and_refuses_the_other_controls():
    assert not has_control("two\tcolumns\r\nand lines\n")
    assert [c for c in map(chr, range(0x20)) if has_control(c)] == [
        c for c in map(chr, range(0x20)) if c not in "\t\n\r"
    ]
    assert has_control("\x7f") and has_control("\x85")  # DEL, a C1 control
    assert not has_control("Zürich, naïve ✓")
    assert printable(ODD) == SAFE and printable(7) == 7


@pytest.mark.django_db
def test_the_api_refuses_a_control_character_naming_the_field(head, use_case):
    api = APIClient()
    api.force_authenticate(head)

    created = api.post("/api/use-cases/", {"title": ODD}, format="json")
    changed = api.patch(
        f"/api/use-cases/{use_case.pk}/", {"problem_statement": "a\x00b"}, format="json"
    )
    lines = api.patch(
        f"/api/use-cases/{use_case.pk}/", {"problem_statement": "one\r\n\ttwo"}, format="json"
    )

    assert created.status_code == 400
    assert created.json()["fields"] == {"title": [CONTROL_MESSAGE]}
    assert changed.status_code == 400
    assert changed.json()["fields"] == {"problem_statement": [CONTROL_MESSAGE]}
    assert lines.status_code == 200, lines.json()


def test_a_web_form_refuses_it_naming_the_field():
    form = DataGapForm(data={"description": ODD, "closing_work": "fine\tthen"})
    assert not form.is_valid()
    assert form.errors == {"description": [CONTROL_MESSAGE]}


@pytest.mark.django_db
def test_an_admin_form_refuses_it_naming_the_field(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    form_class = admin.site._registry[Department].get_form(request)
    form = form_class(data={"name": ODD, "slug": "claims-2"})
    assert not form.is_valid()
    assert form.errors["name"] == [CONTROL_MESSAGE]


def test_the_inventory_import_refuses_the_cell():
    with pytest.raises(CellError, match="control character"):
        text(ODD)
    assert text("  Claims triage ") == "Claims triage"


@pytest.mark.django_db
def test_stored_text_leaves_safely_from_every_export(admin_user, use_case):
    UseCase.objects.filter(pk=use_case.pk).update(title=ODD)  # as an old import left it
    api = APIClient()
    api.force_authenticate(admin_user)

    export = api.get("/api/inventory/export/")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert SAFE in {cell.value for ws in sheet.worksheets for row in ws.iter_rows() for cell in row}
    listed = api.get("/api/use-cases/?format=csv")
    assert listed.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(listed.streaming_content).decode())))
    assert [row["title"] for row in rows] == [SAFE]


@pytest.mark.django_db
def test_a_pdf_pack_and_chat_messages_carry_it_safely(client, department, head, chair, members):
    review = decided(department, head, chair, members, verdict="go")
    UseCase.objects.filter(pk=review.use_case_id).update(title=ODD)
    client.force_login(chair)

    pack = client.get(reverse("review-pack", args=[review.pk]))
    assert pack.status_code == 200
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pack.content)).pages)
    assert "\x0b" not in words
    payload = {
        "type": "decision_made",
        "title": ODD,
        "summary": "ok",
        "link": "http://127.0.0.1:8240/",
        "actor": None,
        "data": {"note": ODD},
    }
    for kind in EndpointKind.values:
        assert "\x0b" not in str(formats.body_for(kind, payload))
    assert formats.body_for(EndpointKind.SIGNED_JSON, payload)["data"]["note"] == SAFE
