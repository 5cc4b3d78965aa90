"""core.typed_values: each value type's accepted and refused values, and choice scores."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.typed_values import choice_score, choices_check, typed_value_clean
from tests import factories

CHOICES = [{"value": "low", "score": 1}, {"value": "high", "score": "4.5"}, {"value": "none"}]


@pytest.mark.parametrize(
    ("kind", "given", "stored"),
    [
        ("text", "  a note ", "a note"),
        ("number", "12.50", "12.50"),
        ("number", 7, "7"),
        ("money", "1234.5", "1234.50"),
        ("date", "2026-03-01", "2026-03-01"),
        ("choice", "high", "high"),
        ("choices", ["none", "low"], ["low", "none"]),
        ("yes_no", "yes", True),
        ("yes_no", False, False),
        ("number", "", None),
        ("choices", [], None),
    ],
)
def test_accepted_values_are_stored_typed(kind, given, stored):
    assert typed_value_clean(kind, given, choices=CHOICES) == stored


@pytest.mark.parametrize(
    ("kind", "given", "message"),
    [
        ("text", 12, "Enter text."),
        ("number", "twelve", "Enter a number."),
        ("number", True, "Enter a number."),
        ("number", "NaN", "Enter a number."),
        ("number", "1,5", "Enter a number."),
        ("money", "1e15", "Enter a number."),
        ("date", "01/03/2026", "Enter a date as YYYY-MM-DD."),
        ("choice", "medium", "Choose one of low, high, none."),
        ("choices", ["low", "medium"], "Choose one of low, high, none."),
        ("yes_no", "maybe", "Answer yes or no."),
        ("person", "someone", "Name a person by their id."),
    ],
)
def test_refused_values_say_what_is_expected(kind, given, message):
    with pytest.raises(ValidationError) as refused:
        typed_value_clean(kind, given, choices=CHOICES)

    assert refused.value.messages == [message]


@pytest.mark.django_db
def test_a_person_is_an_active_account():
    person = factories.UserFactory()
    gone = factories.UserFactory(is_active=False)

    assert typed_value_clean("person", str(person.pk)) == person.pk
    with pytest.raises(ValidationError):
        typed_value_clean("person", gone.pk)


def test_scores_of_choices_several_choices_and_yes_no():
    yes_no = [{"value": "yes", "score": 3}, {"value": "no", "score": 0}]

    assert choice_score("choice", "high", CHOICES) == Decimal("4.5")
    assert choice_score("choices", ["low", "high", "none"], CHOICES) == Decimal("5.5")  # 1+4.5+0
    assert choice_score("yes_no", True, yes_no) == 3
    assert choice_score("number", "12", CHOICES) == 0


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        ("choice", []),
        ("choice", [{"value": "a"}, {"value": "a"}]),
        ("choice", [{"value": "a", "score": "lots"}]),
        ("yes_no", [{"value": "maybe"}]),
        ("number", [{"value": "a"}]),
        ("choice", "a,b"),
    ],
)
def test_malformed_choices_are_refused(kind, choices):
    with pytest.raises(ValidationError):
        choices_check(kind, choices)
