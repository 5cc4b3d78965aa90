"""Reading one cell: the dates, numbers, yes/no answers and choices spreadsheets write.

Pure functions: a raw cell in, a Python value out, or ``CellError`` with a message a person
understands. No database.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from core.text import has_control
from inventory.template import normalise


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


FORMULA_START = ("=",)
# Excel's day zero (its 1900 leap-year bug included): serial 1 is 1900-01-01.
EXCEL_EPOCH = date(1899, 12, 30)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "januar"),
            ("feb", "february", "fev", "februar"),
            ("mar", "march", "mars", "marz", "maerz"),
            ("apr", "april", "avr"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juil", "juli"),
            ("aug", "august", "aout"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_NUMERIC = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?)?$"
)
_WORDY = re.compile(r"^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-,]+(\d{2,4})$")
_WORDY_US = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def text(value) -> str:
    """A text cell: stripped; a formula is refused; the apostrophe that neutralises one goes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    value = str(value).strip()
    if has_control(value):
        raise CellError(
            _("holds a control character (an invisible character such as U+000B); remove it.")
        )
    if value.startswith(FORMULA_START) and len(value) > 1:
        raise CellError(
            _("holds a formula (%(formula)s); paste the values instead (Paste special, Values).")
            % {"formula": value[:40]}
        )
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def is_blank(value) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _year(value: int) -> int:
    return value + 2000 if value < 100 else value


def _date(year: int, month: int, day: int, raw) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("'%(raw)s' is not a calendar date.") % {"raw": raw}) from None


def parse_date(value, *, month_first: bool = False) -> date | datetime | None:
    """A date as spreadsheets write it: a date cell, an Excel serial number, ISO, day/month/year
    (or month/day/year with ``month_first``), '31 Mar 2024', 'March 31, 2024'.

    A value with a time of day comes back as a naive datetime, a plain date as a date.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value if value.time() != time(0) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if 1 <= float(value) < 2958466:
            moment = datetime.combine(EXCEL_EPOCH, time(0)) + timedelta(days=float(value))
            return moment if moment.time() != time(0) else moment.date()
        raise CellError(_("'%(value)s' is not a date.") % {"value": value})
    raw = text(value)
    cleaned = raw.lower().strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", cleaned):
        return parse_date(float(cleaned))
    if match := _ISO.match(cleaned):
        year, month, day, hour, minute, second = match.groups()
        day_value = _date(int(year), int(month), int(day), raw)
        if hour is None or (int(hour), int(minute), int(second or 0)) == (0, 0, 0):
            return day_value
        return datetime.combine(day_value, time(int(hour), int(minute), int(second or 0)))
    if match := _NUMERIC.match(cleaned):
        first, second, year, hour, minute = match.groups()
        day, month = (int(second), int(first)) if month_first else (int(first), int(second))
        if month > 12:
            raise CellError(
                (
                    _("'%(raw)s' is not a date in month/day/year order.")
                    if month_first
                    else _(
                        "'%(raw)s' is not a date in day/month/year order (US dates: use the "
                        "month-first option)."
                    )
                )
                % {"raw": raw}
            )
        day_value = _date(_year(int(year)), month, day, raw)
        if hour is None or (int(hour), int(minute)) == (0, 0):
            return day_value
        return datetime.combine(day_value, time(int(hour), int(minute)))
    for pattern, order in ((_WORDY, "dmy"), (_WORDY_US, "mdy")):
        if match := pattern.match(cleaned):
            groups = match.groups()
            day, name, year = groups if order == "dmy" else (groups[1], groups[0], groups[2])
            month = MONTHS.get(name.rstrip("."))
            if month is None:
                raise CellError(
                    _("'%(raw)s': '%(name)s' is not a month.") % {"raw": raw, "name": name}
                )
            return _date(_year(int(year)), month, int(day), raw)
    raise CellError(
        _("'%(raw)s' is not a date (write it as 2024-03-31 or 31/03/2024).") % {"raw": raw}
    )


def aware(value: date | datetime, zone: str) -> datetime:
    """A cell's date as a moment: midnight in the portfolio's time zone for a plain date."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    return value.replace(tzinfo=ZoneInfo(zone))


def parse_dates(value, *, month_first: bool = False) -> list:
    """A list of dates in one cell, separated by ';' or line breaks (several holds)."""
    if is_blank(value):
        return []
    if not isinstance(value, str):
        return [parse_date(value, month_first=month_first)]
    parts = [part for part in re.split(r"[;\n|]+", value) if part.strip()]
    return [parse_date(part, month_first=month_first) for part in parts]


_CURRENCY = re.compile(r"[€$£¥\u00a0]|\b(?:CHF|EUR|USD|GBP|JPY)\b", re.IGNORECASE)
_SCALE = {"k": Decimal(1000), "m": Decimal(1000000), "mn": Decimal(1000000),
          "bn": Decimal(1000000000), "b": Decimal(1000000000)}  # fmt: skip
_SCALED = re.compile(r"^(.*?\d)\s*(k|m|mn|bn|b)$", re.IGNORECASE)


def _separators(number: str, *, money: bool) -> str:
    """'1,234.50' and '1.234,50' both as 1234.50; '12,5' as 12.5; '80.000' as 80000 when it
    is money (a thousands dot), as 80.000 otherwise."""
    if "," in number and "." in number:
        if number.rfind(",") > number.rfind("."):
            return number.replace(".", "").replace(",", ".")
        return number.replace(",", "")
    if "," in number:
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+", number):
            return number.replace(",", "")
        if number.count(",") == 1:
            return number.replace(",", ".")
        return number.replace(",", "")
    if money and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", number):
        return number.replace(".", "")
    return number


def parse_decimal(value) -> Decimal | None:
    """A number as registers write it: '1,234.50', '$75,000', '€1.2m', '75 000 EUR',
    '1.234,50 €', '45%', '(300)' and numeric cells."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("'%(value)s' is not a number.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = text(value)
    money = bool(_CURRENCY.search(raw))
    cleaned = _CURRENCY.sub("", raw)
    cleaned = re.sub(r"[\s%'\u2009\u202f]", "", cleaned)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    scale = Decimal(1)
    if match := _SCALED.match(cleaned):
        cleaned, scale = match.group(1), _SCALE[match.group(2).lower()]
    try:
        number = Decimal(_separators(cleaned, money=money)) * scale
    except InvalidOperation:
        raise CellError(_("'%(raw)s' is not a number.") % {"raw": raw}) from None
    if not number.is_finite():
        raise CellError(_("'%(raw)s' is not a number.") % {"raw": raw})
    if scale != 1:
        number = number.normalize()
        number = number.quantize(Decimal(1)) if number == number.to_integral() else number
    return -number if negative else number


_TRUE = {"yes", "y", "true", "t", "1", "x", "ja", "oui", "si"}
_FALSE = {"no", "n", "false", "f", "0", "nein", "non"}


def parse_bool(value) -> bool | None:
    """Yes or no, as people write it (yes/no, true/false, 1/0, x); blank: not answered."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    name = normalise(text(value) if isinstance(value, str) else value)
    if name in _TRUE:
        return True
    if name in _FALSE:
        return False
    raise CellError(_("'%(value)s' is not yes or no.") % {"value": value})


def parse_choice(value, choices, *, extra: dict | None = None) -> str:
    """One of a TextChoices' values, given as its value, its label or the label's first words."""
    if is_blank(value):
        return ""
    name = normalise(text(value))
    for choice_value, label in choices.choices:
        label_name = normalise(label)
        if name in (normalise(choice_value), label_name) or (
            label_name.startswith(name + " ") and len(name) >= 3
        ):
            return choice_value
    if extra and name in extra:
        return extra[name]
    allowed = ", ".join(str(label).split(" (")[0].lower() for _, label in choices.choices)
    raise CellError(
        _("'%(value)s' is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}
    )
