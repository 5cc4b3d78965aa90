"""Reading cells and headers as spreadsheets write them (pure functions, no database)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from inventory.cells import (
    CellError,
    parse_bool,
    parse_choice,
    parse_date,
    parse_dates,
    parse_decimal,
    text,
)
from inventory.template import match_headers, record_of
from portfolio.choices import Cadence, Origin


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-03-31", date(2024, 3, 31)),
        ("2024/03/31", date(2024, 3, 31)),
        ("2024-03-31 00:00:00", date(2024, 3, 31)),
        ("2024-03-31T14:30:00", datetime(2024, 3, 31, 14, 30)),
        ("31/03/2024", date(2024, 3, 31)),
        ("31.03.2024", date(2024, 3, 31)),
        ("1/3/24", date(2024, 3, 1)),
        ("31 Mar 2024", date(2024, 3, 31)),
        ("31-Mar-2024", date(2024, 3, 31)),
        ("March 31, 2024", date(2024, 3, 31)),
        (45382, date(2024, 3, 31)),  # Excel's serial number
        (45382.5, datetime(2024, 3, 31, 12, 0)),
        ("45382", date(2024, 3, 31)),
        (datetime(2024, 3, 31), date(2024, 3, 31)),
        (date(2024, 3, 31), date(2024, 3, 31)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_formats_spreadsheets_write(raw, expected):
    assert parse_date(raw) == expected


def test_slashed_dates_are_day_first_unless_told_month_first():
    assert parse_date("03/04/2024") == date(2024, 4, 3)
    assert parse_date("03/04/2024", month_first=True) == date(2024, 3, 4)
    with pytest.raises(CellError, match="month-first option"):
        parse_date("03/31/2024")
    assert parse_date("03/31/2024", month_first=True) == date(2024, 3, 31)


@pytest.mark.parametrize("raw", ["31/02/2024", "yesterday", "2024-13-01", "31 Foo 2024", True])
def test_what_is_not_a_date_is_refused_with_a_message(raw):
    with pytest.raises(CellError):
        parse_date(raw)


def test_several_dates_in_one_cell():
    assert parse_dates("2024-01-05; 2024-06-01") == [date(2024, 1, 5), date(2024, 6, 1)]
    assert parse_dates("") == []


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1,234.50", Decimal("1234.50")),
        ("€ 12 000", Decimal("12000")),
        ("45%", Decimal("45")),
        ("(300)", Decimal("-300")),
        (1200, Decimal("1200")),
        (0.1, Decimal("0.1")),
        ("", None),
    ],
)
def test_numbers(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["twelve", "NaN", "1.2.3"])
def test_not_numbers(raw):
    with pytest.raises(CellError, match="not a number"):
        parse_decimal(raw)


def test_yes_and_no_as_people_write_them():
    assert [parse_bool(v) for v in ("Yes", "y", "TRUE", 1, "x", "No", "0", "", None)] == [
        True, True, True, True, True, False, False, None, None,
    ]  # fmt: skip
    with pytest.raises(CellError, match="not yes or no"):
        parse_bool("maybe")


def test_choices_by_value_label_or_first_words():
    assert parse_choice("Bottom-up", Origin) == Origin.BOTTOM_UP
    assert parse_choice("top_down", Origin) == Origin.TOP_DOWN
    assert parse_choice("Every two weeks", Cadence) == Cadence.FORTNIGHTLY
    with pytest.raises(CellError, match="not one of: daily, weekly"):
        parse_choice("hourly", Cadence)


def test_a_formula_is_refused_and_a_neutralised_one_is_read_as_text():
    with pytest.raises(CellError, match="formula"):
        text("=SUM(A1:A3)")
    assert text("'=not a formula") == "=not a formula"
    assert text("-5") == "-5"
    assert text(101.0) == "101"


def test_headers_match_ignoring_case_spaces_punctuation_and_synonyms():
    headers = [
        " REFERENCE ",
        "use case name",
        "Dept.",
        "Build cost (EUR)",
        "Go-live",
        "Colour",
        "ref",
    ]
    mapping = [(m.header, m.key) for m in match_headers(headers)]
    assert mapping == [
        (" REFERENCE ", "reference"),
        ("use case name", "title"),
        ("Dept.", "department"),
        ("Build cost (EUR)", "build_cost"),
        ("Go-live", "scale"),
        ("Colour", None),
        ("ref", None),  # a second column for the reference is ignored, not merged
    ]


def test_record_types_tolerate_case_and_plurals():
    assert [record_of(v) for v in ("Use case", "METRICS", "kpi", "Readings", "gap", "", "x")] == [
        "use case", "metric", "metric", "reading", "data gap", "use case", None,
    ]  # fmt: skip
