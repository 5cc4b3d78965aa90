"""Typed values: the value types an organisation's own questions and fields take, and the one
function that checks a value of each type.

Used by the questionnaires (answers) and meant for the custom intake fields too: one copy of
"typed value validation". The API:

- ``ValueType``: text, number, money, date, choice, several choices, yes/no, person;
- ``typed_value_clean(value_type, value, choices=...)``: the value as stored in JSON (text,
  a decimal string, an ISO date, a choice's value, a list of them, a bool, a person's id),
  ``None`` for an empty value, or a ``ValidationError`` whose message says what is expected
  (the caller names the field: its label and key);
- ``choices_check(value_type, choices)``: the choices of a definition are well formed.

Choices are dicts ``{"value": ..., "label": ..., "score": ...}`` (label and score optional).
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MONEY_PLACES = Decimal("0.01")
# Wider than any money, count or score a person types; keeps JSON and Decimal comparisons sane.
LARGEST = Decimal("1e15")
TRUE_WORDS = frozenset({"yes", "true", "1", "on"})
FALSE_WORDS = frozenset({"no", "false", "0", "off"})


class ValueType(models.TextChoices):
    TEXT = "text", gettext_lazy("Text")
    NUMBER = "number", gettext_lazy("Number")
    MONEY = "money", gettext_lazy("Money")
    DATE = "date", gettext_lazy("Date")
    CHOICE = "choice", gettext_lazy("Choice")
    CHOICES = "choices", gettext_lazy("Several choices")
    YES_NO = "yes_no", gettext_lazy("Yes/no")
    PERSON = "person", gettext_lazy("Person")


# The types whose definition lists choices (yes/no may list "yes" and "no" to score them).
WITH_CHOICES = frozenset({ValueType.CHOICE, ValueType.CHOICES})


def _empty(value) -> bool:
    return value is None or (isinstance(value, str | list | tuple) and not value)


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."), code="invalid")
    try:
        # A comma is refused, not guessed: "1,5" is one and a half in German and fifteen in
        # English (a form that parses the person's locale hands in a Decimal).
        number = Decimal(str(value).strip()) if "," not in str(value) else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or abs(number) >= LARGEST:
        raise ValidationError(_("Enter a number."), code="invalid")
    return number


def _yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("Answer yes or no."), code="invalid")


def _date(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid") from None


def _person(value) -> int:
    pk = getattr(value, "pk", value)
    try:
        pk = int(str(pk).strip())
    except ValueError:
        raise ValidationError(_("Name a person by their id."), code="invalid") from None
    if not get_user_model().objects.filter(pk=pk, is_active=True).exists():
        raise ValidationError(_("No active person has the id %(id)s.") % {"id": pk}, code="invalid")
    return pk


def choice_values(choices: Iterable[Mapping]) -> list[str]:
    return [str(c["value"]) for c in choices]


def _choice(value, choices: Sequence[Mapping]) -> str:
    allowed = choice_values(choices)
    if str(value) not in allowed:
        raise ValidationError(
            _("Choose one of %(choices)s.") % {"choices": ", ".join(allowed)}, code="invalid_choice"
        )
    return str(value)


def typed_value_clean(value_type: str, value, *, choices: Sequence[Mapping] = ()):
    """The value as stored, None when empty, or a ValidationError saying what is expected."""
    if _empty(value):
        return None
    if value_type == ValueType.TEXT:
        if not isinstance(value, str):
            raise ValidationError(_("Enter text."), code="invalid")
        return value.strip() or None
    if value_type == ValueType.NUMBER:
        return str(_decimal(value))
    if value_type == ValueType.MONEY:
        return str(_decimal(value).quantize(MONEY_PLACES))
    if value_type == ValueType.DATE:
        return _date(value)
    if value_type == ValueType.CHOICE:
        return _choice(value, choices)
    if value_type == ValueType.CHOICES:
        items = value if isinstance(value, list | tuple) else [value]
        picked = {_choice(item, choices) for item in items}
        return [v for v in choice_values(choices) if v in picked]
    if value_type == ValueType.YES_NO:
        return _yes_no(value)
    if value_type == ValueType.PERSON:
        return _person(value)
    raise ValidationError(_("Unknown value type %(type)s.") % {"type": value_type})


def choice_score(value_type: str, value, choices: Sequence[Mapping]) -> Decimal:
    """The score a stored value earns: the chosen choice's score, the sum of the chosen ones,
    the score listed for "yes" or "no"; 0 for anything else or a choice without a score."""
    scores = {str(c["value"]): Decimal(str(c.get("score") or 0)) for c in choices}
    if value_type == ValueType.CHOICE:
        return scores.get(str(value), Decimal(0))
    if value_type == ValueType.CHOICES:
        return sum((scores.get(str(v), Decimal(0)) for v in value or ()), Decimal(0))
    if value_type == ValueType.YES_NO and value is not None:
        return scores.get("yes" if value else "no", Decimal(0))
    return Decimal(0)


def choices_check(value_type: str, choices) -> None:
    """A definition's choices: a list of {"value", "label", "score"}; values unique; a choice
    type lists at least one; yes/no lists only "yes" and "no"; scores are numbers."""
    if not isinstance(choices, list) or not all(isinstance(c, Mapping) for c in choices):
        raise ValidationError(_("List the choices as objects with a value."), code="invalid")
    values = []
    for choice in choices:
        if _empty(str(choice.get("value", "")).strip()):
            raise ValidationError(_("Every choice needs a value."), code="invalid")
        values.append(str(choice["value"]))
        if choice.get("score") not in (None, ""):
            _decimal(choice["score"])
    if len(set(values)) != len(values):
        raise ValidationError(_("Two choices have the same value."), code="invalid")
    if value_type in WITH_CHOICES and not values:
        raise ValidationError(_("A choice question needs at least one choice."), code="invalid")
    if value_type == ValueType.YES_NO and not set(values) <= {"yes", "no"}:
        raise ValidationError(_("Yes/no lists only 'yes' and 'no' to score them."))
    if value_type not in WITH_CHOICES | {ValueType.YES_NO} and values:
        raise ValidationError(_("Only choice and yes/no questions list choices."), code="invalid")
