"""The mapping of a register's columns to Flywheel's fields: suggested, shown, confirmed.

Pure: headers and cell values in, one ``ColumnChoice`` per column out. A column is suggested
a field by its header (synonyms, then normalised names, then a near spelling), else by its
content (e-mails become a person, stage names the status); the person's own choices, given
by header or column letter, win over every suggestion. A date column whose dates read both
ways (03/04/2025) is reported with its two readings until the person chooses the order.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from inventory.template import BY_KEY, USE_CASE, WIDE, name_key, normalise
from portfolio.choices import State

# What people write in a cell that holds nothing yet: read as empty, and counted.
PLACEHOLDERS = frozenset(
    {"n a", "na", "tbd", "tbc", "to be defined", "to be confirmed", "none", "unknown", "nil",
     "pending", "not applicable", "not available", "tba"}
)  # fmt: skip
PLACEHOLDER_MAX = 24
DASHES = frozenset({"-", "--", "---", "\u2013", "\u2014", "?", "??", "/", "."})
PEOPLE_KEYS = ("outcome_owner", "sponsor", "operator_lead")
DATE_KEYS = frozenset(
    {"submitted", "pilot", "scale", "extend", "held", "resumed", "killed", "retired",
     "measured", "kpi_as_of"}
)  # fmt: skip
DAY_FIRST, MONTH_FIRST, AMBIGUOUS = "dmy", "mdy", "ambiguous"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)
SAMPLES = 3
SCAN = 500  # cells of a column looked at to tell its content
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_MONEY = re.compile(
    r"^\s*[-(]?\s*([$€£]|eur|usd|gbp|chf)?\s*[\d.,\s]+\s*[kmb]?\s*([$€£]|eur|usd|gbp|chf)?\)?\s*$",
    re.I,
)
_STATE_NAMES = {normalise(v) for v in State.values} | {normalise(label) for label in State.labels}
_STATE_NAMES |= {
    "idea",
    "live",
    "production",
    "in production",
    "proof of concept",
    "poc",
    "stopped",
    "cancelled",
    "paused",
    "scaling",
    "scaled",
    "intake",
    "backlog",
}


class MappingError(ValueError):
    """A mapping the person gave that cannot be used: an unknown field or column."""


def is_placeholder(value) -> bool:
    """'N/A', 'TBD', '-' and the like: a cell that says it holds nothing."""
    if not isinstance(value, str) or len(value) > PLACEHOLDER_MAX:
        return False
    value = value.strip()
    return bool(value) and (value in DASHES or normalise(value) in PLACEHOLDERS)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class ColumnChoice:
    """One column of the register: what it holds, and the field it becomes (None: ignored)."""

    position: int
    header: str
    key: str | None
    how: str  # name, similar, content, chosen, saved, or "" (nothing matched)
    kind: str = "empty"
    samples: list = field(default_factory=list)
    cells: int = 0
    placeholders: int = 0
    hidden: bool = False
    date_order: str = ""
    date_example: str = ""

    @property
    def letter(self) -> str:
        return get_column_letter(self.position + 1)

    @property
    def label(self) -> str:
        return f"{self.header or '(no header)'} ({self.letter})"

    def as_dict(self) -> dict:
        column = BY_KEY.get(self.key) if self.key else None
        return {
            "column": self.header,
            "letter": self.letter,
            "field": self.key,
            "template_column": column.header if column else None,
            "how": self.how,
            "content": self.kind,
            "samples": self.samples,
            "cells": self.cells,
            "placeholders": self.placeholders,
            "hidden": self.hidden,
            "date_order": self.date_order,
            "date_readings": date_readings(self.date_example) if self.date_example else [],
        }


def date_readings(example: str) -> list[str]:
    """The two readings of an ambiguous date, day first then month first, in words."""
    match = _NUMERIC_DATE.match(example)
    if not match:
        return []
    first, second, year = (int(g) for g in match.groups())
    year = year + 2000 if year < 100 else year
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(f"{date(year, month, day):%-d %B %Y}")
        except ValueError:
            readings.append("")
    return readings


def _kind_of(value) -> str:
    if isinstance(value, datetime | date):
        return "date"
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "number"
    text = str(value).strip()
    if text.startswith("="):
        return "formula"
    if _EMAIL.match(text):
        return "e-mail"
    if text.endswith("%") and _MONEY.match(text[:-1]):
        return "percent"
    if _NUMERIC_DATE.match(text) or re.match(r"^\d{4}-\d{1,2}-\d{1,2}", text):
        return "date"
    if re.match(r"^\d{1,2}[\s-][a-z]{3,9}\.?[\s-]\d{2,4}$", text, re.I):
        return "date"
    if _MONEY.match(text) and re.search(r"\d", text):
        if re.search(r"[$€£]|eur|usd|gbp|chf|\d[.,\s]\d{3}|\d\s*[kmb]\b", text, re.I):
            return "money"
        return "number"
    if normalise(text) in _STATE_NAMES:
        return "stage"
    return "text"


def content_kind(values: list) -> str:
    """What most (four in five) of a column's filled cells are: date, money, percent, number,
    e-mail, stage, yes/no, formula or text; ``empty`` with nothing in it."""
    kinds = [_kind_of(v) for v in values]
    if not kinds:
        return "empty"
    for kind in ("date", "e-mail", "percent", "money", "number", "stage", "yes/no", "formula"):
        count = kinds.count(kind) + (kinds.count("number") if kind == "money" else 0)
        if count * 5 >= len(kinds) * 4 and (kind != "money" or "money" in kinds):
            return kind
    return "text"


def date_order_of(values: list) -> tuple[str, str]:
    """The order of a column's numeric dates: day first when a day above 12 comes first,
    month first when it comes second, ``ambiguous`` (with an example) when every one reads
    both ways, "" when the column holds no such dates."""
    example = ""
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC_DATE.match(value)
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:
            return DAY_FIRST, ""
        if second > 12:
            return MONTH_FIRST, ""
        if first != second and not example:
            example = value.strip()
    return (AMBIGUOUS, example) if example else ("", "")


def _column_values(rows: list[list], position: int):
    for row in rows:
        if position < len(row):
            yield row[position]


def mapping_suggest(
    headers: list[str],
    rows: list[list],
    *,
    hidden_columns=(),
    chosen: dict | None = None,
    date_orders: dict | None = None,
    how_chosen: str = "chosen",
    custom: dict | None = None,
) -> list[ColumnChoice]:
    """One choice per column: the person's (``chosen``, by header or letter; ``None`` or ""
    to ignore), else the suggestion. Raises ``MappingError`` for a field that does not
    exist or a chosen column the file does not have. ``custom``: the organisation's own
    fields, header name to ``custom.<key>`` (inventory.custom_columns)."""
    custom = custom or {}
    known = {*BY_KEY, *custom.values()}
    chosen = {str(k).strip(): v for k, v in (chosen or {}).items()}
    date_orders = {str(k).strip(): v for k, v in (date_orders or {}).items()}
    unknown = sorted({str(v) for v in chosen.values() if v and v not in known})
    if unknown:
        raise MappingError(
            _("No field %(unknown)s; the fields are: %(known)s.")
            % {"unknown": ", ".join(repr(u) for u in unknown), "known": ", ".join(sorted(known))}
        )
    bad_orders = sorted({str(v) for v in date_orders.values() if v not in DATE_ORDERS})
    if bad_orders:
        raise MappingError(
            _("A date order is %(date_orders)s, not %(given)s.")
            % {"date_orders": " or ".join(DATE_ORDERS), "given": bad_orders[0]}
        )
    choices = []
    for position, header in enumerate(headers):
        header = "" if header is None else str(header).strip()
        filled, placeholders, samples = [], 0, []
        for value in _column_values(rows, position):
            if is_blank(value):
                continue
            if is_placeholder(value):
                placeholders += 1
                continue
            if len(filled) < SCAN:
                filled.append(value)
            if len(samples) < SAMPLES:
                samples.append(str(value)[:60])
        key, how = name_key(header)
        if normalise(header) in custom:
            key, how = custom[normalise(header)], "name"
        choice = ColumnChoice(
            position, header, key, how, content_kind(filled), samples, 0, placeholders,
            position in hidden_columns,
        )  # fmt: skip
        choice.cells = sum(1 for v in _column_values(rows, position) if not is_blank(v))
        if key in DATE_KEYS or choice.kind == "date":
            choice.date_order, choice.date_example = date_order_of(filled)
        choices.append(choice)
    _suggest_by_content(choices)
    wide = not any(c.key == "record" for c in choices) and "record" not in chosen.values()
    taken = set()
    for choice in choices:
        key = choice.key
        if wide and key in WIDE:
            key = WIDE[key]
        if key in BY_KEY and wide and USE_CASE not in BY_KEY[key].records:
            key = None  # a reading's note in a register of use cases: listed as ignored
        if key in taken:
            key = None  # a second column for the same field is ignored, not merged
        choice.key = key
        choice.how = choice.how if key else ""
        taken.add(key)
    for choice in choices:
        for name in (choice.letter, choice.header):
            if name and name in chosen:
                choice.key, choice.how = (chosen[name] or None), how_chosen
            if name and name in date_orders and choice.date_order:
                choice.date_order, choice.date_example = date_orders[name], ""
    by_person = {c.key for c in choices if c.how == how_chosen and c.key}
    for choice in choices:
        if choice.how != how_chosen and choice.key in by_person:
            choice.key, choice.how = None, ""
    given = {n for c in choices for n in (c.letter, c.header) if n}
    missing = sorted(set(chosen) - given)
    if missing:
        raise MappingError(
            _("The file has no column %(values)s.")
            % {"values": ", ".join(repr(m) for m in missing)}
        )
    return choices


def _suggest_by_content(choices: list[ColumnChoice]) -> None:
    """A column no name matched, suggested by what it holds: e-mails are the next person not
    yet mapped, stage names the status."""
    taken = {c.key for c in choices if c.key}
    for choice in choices:
        if choice.key:
            continue
        if choice.kind == "e-mail":
            free = [k for k in PEOPLE_KEYS if k not in taken]
            if free:
                choice.key, choice.how = free[0], "content"
        elif choice.kind == "stage" and "status" not in taken:
            choice.key, choice.how = "status", "content"
        if choice.key:
            taken.add(choice.key)


def duplicate_fields(choices: list[ColumnChoice]) -> list[tuple[str, ColumnChoice, ColumnChoice]]:
    """Fields two columns were mapped to by the person (the file cannot say which is meant)."""
    seen, clashes = {}, []
    for choice in choices:
        if not choice.key:
            continue
        if choice.key in seen:
            clashes.append((choice.key, seen[choice.key], choice))
        else:
            seen[choice.key] = choice
    return clashes
