"""The rules of an organisation's own intake fields (pure): what an answer of each kind is,
when a field is asked, and when it must be answered.

Every interface hands its raw answer to ``answer_parse``: the API as JSON (strict: a number
is a number, yes/no a boolean), the pages and the admin as their form's cleaned value, the
inventory import and the list filters as text (``from_text``). The stored form is JSON:
text, a number or an amount as a plain decimal string ("1250.5", "1250.50"), a date as
"YYYY-MM-DD", a choice as its text, several choices as a list in the field's order, yes/no
as a boolean, a person as their user id.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.bounds import MEASURE_MAX, MONEY_MAX
from portfolio.choices import STAGE_ORDER
from portfolio.choices import CustomFieldKind as Kind

TEXT_MAX = 2000
YES = frozenset({"yes", "y", "true", "1", "ja", "oui"})
NO = frozenset({"no", "n", "false", "0", "nein", "non"})


class AnswerError(ValueError):
    """An answer that is not of the field's kind; the message says what is expected."""


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _decimal(raw, *, from_text: bool) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise AnswerError(_("Expected a number."))
    try:
        number = Decimal(str(raw).replace(",", "") if from_text else str(raw))
    except InvalidOperation:
        raise AnswerError(_("Expected a number.")) from None
    if not number.is_finite():
        raise AnswerError(_("Expected a number."))
    return number


def _choice(field, raw) -> str:
    if not isinstance(raw, str) or raw not in field.choices:
        raise AnswerError(_("Expected one of: %s.") % ", ".join(field.choices))
    return raw


def answer_parse(field, raw, *, from_text: bool = False):
    """The stored form of an answer to ``field``; ``None`` for no answer. Raises AnswerError."""
    if isinstance(raw, str) and from_text:
        raw = raw.strip()
    if is_empty(raw):
        return None
    kind = field.kind
    if kind == Kind.TEXT:
        if not isinstance(raw, str):
            raise AnswerError(_("Expected text."))
        if len(raw) > TEXT_MAX:
            raise AnswerError(_("At most %d characters.") % TEXT_MAX)
        return raw
    if kind == Kind.NUMBER:
        number = _decimal(raw, from_text=from_text)
        if abs(number) > MEASURE_MAX:
            raise AnswerError(_("At most %s in size.") % MEASURE_MAX)
        return format(number.normalize(), "f")
    if kind == Kind.MONEY:
        number = _decimal(raw, from_text=from_text)
        if number < 0 or number > MONEY_MAX:
            raise AnswerError(_("An amount from 0 to %s.") % MONEY_MAX)
        if number != number.quantize(Decimal("0.01")):
            raise AnswerError(_("An amount has at most two decimal places."))
        return format(number.quantize(Decimal("0.01")), "f")
    if kind == Kind.DATE:
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(raw).isoformat()
        except (TypeError, ValueError):
            raise AnswerError(_("Expected a date as YYYY-MM-DD.")) from None
    if kind == Kind.CHOICE:
        return _choice(field, raw)
    if kind == Kind.CHOICES:
        if from_text and isinstance(raw, str):
            raw = [part.strip() for part in raw.split(";") if part.strip()]
        if not isinstance(raw, list | tuple):
            raise AnswerError(_("Expected a list of: %s.") % ", ".join(field.choices))
        chosen = {_choice(field, value) for value in raw}
        return [value for value in field.choices if value in chosen] or None
    if kind == Kind.YES_NO:
        if isinstance(raw, bool):
            return raw
        if from_text and isinstance(raw, str) and raw.lower() in YES | NO:
            return raw.lower() in YES
        raise AnswerError(_("Expected yes or no (true or false)."))
    if kind == Kind.PERSON:
        person = getattr(raw, "pk", raw)
        if isinstance(person, bool) or not isinstance(person, int) or person < 1:
            raise AnswerError(_("Expected a person's user id."))
        return person
    raise AnswerError(_("Unknown kind of field."))


def answer_text(value) -> str:
    """An answer as a cell of an export or a line of the change history (yes/no in English,
    as the import reads it whatever the language)."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def error_message(field, problem: str) -> str:
    """A refusal names the field by its label and its key."""
    return f"{field.label} ({field.key}): {problem}"


def _matches(answer, values) -> bool:
    if is_empty(answer):
        return False
    if isinstance(answer, bool):
        answer = "yes" if answer else "no"
    answers = answer if isinstance(answer, list) else [answer]
    return any(str(a) in values for a in answers)


def is_shown(field, answers: dict) -> bool:
    """A field is asked when it has no condition, or when the answer it depends on (the
    field keyed ``shown_when_key``) is one of its values."""
    if not field.shown_when_key:
        return True
    return _matches(answers.get(field.shown_when_key), field.shown_when_values)


def applies_to(field, department_id) -> bool:
    """Asked in every department, or in the ones the field names (``department_ids``)."""
    return not field.department_ids or department_id in field.department_ids


def required_at(field, state: str) -> bool:
    """Required from a stage on: at that stage and every later one."""
    if not field.required_from or state not in STAGE_ORDER:
        return False
    return STAGE_ORDER.index(state) >= STAGE_ORDER.index(field.required_from)
