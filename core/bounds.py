"""Bounds on what a person could have meant: one definition for every interface.

- money: from 0 to ten billion (a year, or one-off); never negative;
- a measured value (a metric's baseline, target or reading, a gate's threshold): a trillion
  either way;
- a percentage: 0 to 100;
- text without a bound of its own: TEXT_MAX_LENGTH characters;
- a number written with digits other than ASCII 0-9 (Arabic-Indic, full-width...): refused;
- text holding a control character (other than tab, line feed, return): refused (core.text).
  Python reads "١٢٣" as 123; a person reading the record would not.

The validators sit on the model fields where the bound belongs to the data (money, measures,
percentages), so a ModelSerializer and a ModelForm take them from there. The API's input
serializers apply the rest through ``core.api.strict.StrictInputMixin``; every web form and
admin form through ``BoundedFormMixin`` here. Each refusal names its field.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from core.text import CONTROL_MESSAGE, has_control

MONEY_MAX = Decimal("10000000000")
MEASURE_MAX = Decimal("1000000000000")
TEXT_MAX_LENGTH = 20_000

MONEY_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(MONEY_MAX)]
MEASURE_VALIDATORS = [MinValueValidator(-MEASURE_MAX), MaxValueValidator(MEASURE_MAX)]
PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]

# As keyword arguments of a serializer's or a form's number field.
MONEY_BOUNDS = {"min_value": Decimal(0), "max_value": MONEY_MAX}
MEASURE_BOUNDS = {"min_value": -MEASURE_MAX, "max_value": MEASURE_MAX}

ASCII_NUMBER_CHARACTERS = frozenset("0123456789+-.eE ")
NON_ASCII_NUMBER_MESSAGE = gettext_lazy("Write numbers with the digits 0-9.")
TEXT_TOO_LONG_MESSAGE = format_lazy(
    gettext_lazy("Ensure this field has no more than {limit} characters."), limit=TEXT_MAX_LENGTH
)


def non_ascii_number(value) -> bool:
    """True for a number written with anything but ASCII digits, sign, point and exponent."""
    return isinstance(value, str) and not set(value) <= ASCII_NUMBER_CHARACTERS


def text_length_validator() -> MaxLengthValidator:
    return MaxLengthValidator(TEXT_MAX_LENGTH, message=TEXT_TOO_LONG_MESSAGE)


def no_control_characters(value) -> None:
    """The validator every text field of a web or admin form carries."""
    if has_control(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")


def measure_field(**kwargs) -> forms.DecimalField:
    """A form field for a measured value (a metric's baseline, target or reading)."""
    return forms.DecimalField(max_digits=18, decimal_places=4, **MEASURE_BOUNDS, **kwargs)


def _ascii_digits_only(to_python):
    def checked(value):
        if non_ascii_number(value.strip() if isinstance(value, str) else value):
            raise ValidationError(NON_ASCII_NUMBER_MESSAGE, code="non_ascii_digits")
        return to_python(value)

    return checked


# Numbers, and the choice of a record by its id ("١٢" would find record 12).
NUMBER_FORM_FIELDS = (
    forms.IntegerField,
    forms.FloatField,
    forms.DecimalField,
    forms.ModelChoiceField,
)
RANGE_VALIDATORS = (MinValueValidator, MaxValueValidator)


class BoundedFormMixin:
    """Mixed into every web form and admin form: the bounds the API applies, per field.

    - a text field without a bound of its own gets TEXT_MAX_LENGTH;
    - a number field refuses digits other than ASCII 0-9;
    - in a ModelForm, a number field carries its model field's range (money, measures,
      percentages), so the refusal comes with the field's other errors, before the form's
      own checks or a service is asked.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(text_length_validator())
            if isinstance(field, forms.CharField):
                field.validators.append(no_control_characters)
            if isinstance(field, NUMBER_FORM_FIELDS) and not getattr(field, "to_field_name", None):
                field.to_python = _ascii_digits_only(field.to_python)
                if model is not None:
                    _take_model_range(field, model, name)


def _take_model_range(field, model, name: str) -> None:
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form field of its own, not a model field
        return
    for validator in model_field.validators:
        if isinstance(validator, RANGE_VALIDATORS) and validator not in field.validators:
            field.validators.append(validator)
            attr = "min" if isinstance(validator, MinValueValidator) else "max"
            field.widget.attrs.setdefault(attr, str(validator.limit_value))


class BoundedForm(BoundedFormMixin, forms.Form):
    """A web form with the bounds of every interface."""


class BoundedModelForm(BoundedFormMixin, forms.ModelForm):
    """A model form (web or admin) with the bounds of every interface."""
