"""Reading a register: headers matched by name and content, people matched not invented, one
error for a missing column, money and dates as spreadsheets write them."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from inventory.cells import parse_decimal
from inventory.mapping import content_kind, date_order_of, mapping_suggest
from inventory.people import PeopleIndex, name_candidates, username_for
from inventory.services import inventory_import
from portfolio.models import UseCase
from tests.support.inventory import csv_file


@pytest.mark.parametrize(
    "header, key, how",
    [
        ("Initiative ID", "reference", "name"),
        ("Initiative Name", "title", "name"),
        ("Business Unit", "department", "name"),
        ("Exec Sponsor", "sponsor", "name"),
        ("Est. Annual Benefit ($)", "expected_benefit_yearly", "name"),
        ("Run cost / yr", "run_cost_yearly", "name"),
        # In a register of use cases (no Record column) a metric column is its KPI's.
        ("Target Value", "kpi_target", "name"),
        ("Go-Live Date", "scale", "name"),
        ("Référence", "reference", "name"),
        ("Problem Statment", "problem_statement", "similar"),
        ("Priority", None, ""),
    ],
)
def test_a_header_is_matched_by_synonym_normalised_name_or_near_spelling(header, key, how):
    choice = mapping_suggest([header], [])[0]
    assert (choice.key, choice.how) == (key, how)


def test_a_column_no_name_matches_is_suggested_by_its_content():
    headers = ["Ref", "Title", "Contact", "Where is it"]
    rows = [["A", "t", "ana@example.com", "Pilot"], ["B", "u", "bo@example.com", "Live"]]
    choices = mapping_suggest(headers, rows)
    assert [(c.key, c.how, c.kind) for c in choices[2:]] == [
        ("outcome_owner", "content", "e-mail"),
        ("status", "content", "stage"),
    ]


@pytest.mark.parametrize(
    "values, kind",
    [
        (["$75,000", "€1.2m", "75 000 EUR"], "money"),
        (["45%", "12.5%"], "percent"),
        ([date(2024, 1, 2), "2024-03-01", "3 Mar 2025", "15/03/2024"], "date"),
        (["a@b.org", "c@d.com"], "e-mail"),
        (["Pilot", "Live", "Idea"], "stage"),
        (["Claims", "Finance"], "text"),
        ([], "empty"),
    ],
)
def test_a_column_content_is_recognised(values, kind):
    assert content_kind(values) == kind


def test_a_date_column_order_is_told_by_a_day_above_twelve_else_ambiguous():
    assert date_order_of(["03/04/2025", "15/04/2025"]) == ("dmy", "")
    assert date_order_of(["03/04/2025", "04/15/2025"]) == ("mdy", "")
    assert date_order_of(["03/04/2025", "01/02/2025"]) == ("ambiguous", "03/04/2025")
    assert date_order_of(["2025-03-04", date(2025, 3, 4)]) == ("", "")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("$75,000", Decimal("75000")),
        ("€1.2m", Decimal("1200000")),
        ("75 000 EUR", Decimal("75000")),
        ("1.234,50 €", Decimal("1234.50")),
        ("€ 80.000", Decimal("80000")),
        ("£250k", Decimal("250000")),
        ("12,5", Decimal("12.5")),
        ("1,234", Decimal("1234")),
    ],
)
def test_money_in_the_notations_registers_use(raw, expected):
    assert parse_decimal(raw) == expected


def test_people_are_matched_by_email_user_name_or_name_without_title_case_or_accents():
    index = PeopleIndex()
    people = {name: SimpleNamespace(pk=pk) for pk, name in enumerate(("dana", "jose", "a1", "a2"))}
    index.add(user=people["dana"], username="dwhitfield", email="dana@example.com",
              first_name="Dana", last_name="Whitfield")  # fmt: skip
    index.add(user=people["jose"], username="jalvarez", email="", first_name="José",
              last_name="Álvarez")  # fmt: skip
    for name in ("a1", "a2"):
        index.add(user=people[name], username=name, email="", first_name="Alex", last_name="Kim")
    by_pk = {person.pk: name for name, person in people.items()}
    matched = [
        index.match(v)
        for v in (
            "DANA@example.com",
            "dwhitfield",
            "Dana Whitfield (COO)",
            "Whitfield, Dana",
            "dana whitfield - Chief Operating Officer",
            "JOSE ALVAREZ",
            "Alex Kim",
            "Sam Okafor",
        )
    ]
    assert [(by_pk[user.pk] if user else None, how) for user, how in matched] == [
        ("dana", "e-mail"), ("dana", "user name"), ("dana", "name"), ("dana", "name"),
        ("dana", "name"), ("jose", "name"), (None, "ambiguous"), (None, ""),
    ]  # fmt: skip
    assert name_candidates("Whitfield, Dana") == ["whitfield dana", "dana whitfield", "whitfield"]


def test_a_new_person_gets_a_user_name_django_accepts():
    taken = {"dana.whitfield"}
    assert username_for("Dana Whitfield (COO)", taken.__contains__) == "dana.whitfield2"
    assert username_for("Zoë O'Brien", taken.__contains__) == "zoe.o.brien"
    assert username_for("sam.okafor@example.com", taken.__contains__) == "sam.okafor"


def test_unmatched_people_are_listed_then_created_on_request_with_a_valid_name(importer, claims):
    rows = [{"Reference": "P-1", "Title": "t", "Department": "Claims",
             "Owner": "Dana Whitfield (COO)", "Operator lead": "Dana Whitfield"}]  # fmt: skip
    report = inventory_import(actor=importer, content=csv_file(rows), filename="p.csv")
    assert report["unmatched_people"] == [
        {"name": "Dana Whitfield (COO)", "rows": [2, 2], "columns": ["Owner", "Operator lead"]}
    ]
    applied = inventory_import(actor=importer, content=csv_file(rows), filename="p.csv",
                               dry_run=False, options={"create_people": True})  # fmt: skip
    assert applied["applied"]
    dana = get_user_model().objects.get(username="dana.whitfield")
    assert (dana.first_name, dana.last_name, dana.groups.count()) == ("Dana", "Whitfield", 0)
    use_case = UseCase.objects.get()
    assert use_case.outcome_owner == dana and use_case.operator_lead == dana


def test_a_new_person_is_no_executive_so_cannot_sponsor(importer, claims):
    rows = [{"Reference": "P-1", "Title": "t", "Department": "Claims", "Sponsor": "Sam Okafor"}]
    report = inventory_import(actor=importer, content=csv_file(rows), filename="p.csv",
                              options={"create_people": True})  # fmt: skip
    assert [(e["column"], e["message"]) for e in report["errors"]] == [
        ("Sponsor", "The sponsor must be an executive.")
    ]


def test_one_missing_required_column_is_one_error_not_a_cascade(importer, claims):
    rows = [{"Ref": f"R-{n}", "Business unit": "Claims"} for n in range(5)]
    report = inventory_import(actor=importer, content=csv_file(rows), filename="r.csv")
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (None, "Title", "missing_column")
    ]
    no_ref = inventory_import(
        actor=importer, content=csv_file([{"Title": "x", "Dept": "Claims"}] * 3), filename="r.csv"
    )
    assert [(e["column"], e["code"]) for e in no_ref["errors"]] == [("Reference", "missing_column")]


def test_a_department_for_every_row_when_the_register_has_none(importer, claims):
    rows = [{"Ref": "R-1", "Name": "Triage"}]
    report = inventory_import(actor=importer, content=csv_file(rows), filename="r.csv",
                              options={"department": "Claims"})  # fmt: skip
    assert report["errors"] == [] and report["counts"]["use case"]["created"] == 1
    unknown = inventory_import(actor=importer, content=csv_file(rows), filename="r.csv",
                               options={"department": "Nowhere"})  # fmt: skip
    assert [e["code"] for e in unknown["errors"]] == ["unknown_department"]


def test_a_prohibited_practice_is_refused_in_the_dry_run_before_anything_is_written(
    importer, claims
):
    rows = [{"Reference": "X-1", "Title": "Emotion scoring", "Department": "Claims",
             "Prohibited practice": "yes", "Submitted": "2024-05-02"},
            {"Reference": "X-2", "Title": "Emotion scoring draft", "Department": "Claims",
             "Prohibited practice": "yes"}]  # fmt: skip
    report = inventory_import(actor=importer, content=csv_file(rows), filename="x.csv",
                              dry_run=False)  # fmt: skip
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (2, "Prohibited practice", "prohibited_practice")
    ]
    assert "Art. 5" in report["errors"][0]["message"]
    assert not UseCase.objects.exists()


def test_a_status_the_dates_do_not_reach_names_the_missing_date(importer, claims):
    rows = [{"Reference": "S-1", "Title": "t", "Department": "Claims", "Status": "Live",
             "Submitted": "2024-01-02", "Pilot": "2024-02-01"}]  # fmt: skip
    report = inventory_import(actor=importer, content=csv_file(rows), filename="s.csv")
    assert [(e["column"], e["code"]) for e in report["errors"]] == [("Status", "status_differs")]
    assert "map the column that holds the scale date" in report["errors"][0]["message"]


def test_a_kpi_value_without_its_name_is_an_error_not_dropped(importer, claims):
    rows = [{"Reference": "K-1", "Title": "t", "Department": "Claims", "KPI": "",
             "KPI baseline": "4"}]  # fmt: skip
    report = inventory_import(actor=importer, content=csv_file(rows), filename="k.csv")
    assert [(e["column"], e["code"]) for e in report["errors"]] == [("KPI baseline", "required")]


def test_an_undated_latest_kpi_value_is_one_reading_however_often_imported(importer, claims):
    rows = [{"Reference": "K-1", "Title": "t", "Department": "Claims", "KPI": "Hours saved",
             "KPI unit": "h", "KPI baseline": "0", "KPI target": "100",
             "Latest": "40"}]  # fmt: skip
    first = inventory_import(actor=importer, content=csv_file(rows), filename="k.csv",
                             dry_run=False)  # fmt: skip
    assert first["applied"] and first["counts"]["reading"]["created"] == 1
    again = inventory_import(actor=importer, content=csv_file(rows), filename="k.csv")
    assert again["counts"]["reading"] == {"created": 0, "changed": 0, "unchanged": 1, "error": 0}
    assert again["counts"]["metric"]["unchanged"] == 1
