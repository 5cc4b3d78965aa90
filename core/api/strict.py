"""Strict input: every input serializer refuses what it would otherwise ignore.

- a field the serializer does not know, or one it only renders (read-only), answers 400
  naming it ("state", "id", "department" on an edit, sign-off timestamps...);
- a number written with digits other than ASCII 0-9 (Arabic-Indic, full-width...) is refused:
  Python would read "١٢٣" as 123, a person reading the record would not;
- a text field without a bound of its own gets TEXT_MAX_LENGTH;
- text holding a control character (other than tab, line feed, return) is refused, naming
  the field (core.text).

The bounds are defined once, in core.bounds, for the web forms and the admin too.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.bounds import (
    NON_ASCII_NUMBER_MESSAGE,
    TEXT_MAX_LENGTH,
    non_ascii_number,
    text_length_validator,
)
from core.text import CONTROL_MESSAGE, has_control

# Numbers, and the ids a related field looks up ("١٢" would find record 12).
NUMERIC_FIELDS = (
    serializers.DecimalField,
    serializers.IntegerField,
    serializers.FloatField,
    serializers.PrimaryKeyRelatedField,
)


class StrictInputMixin:
    """Mixed into every input serializer (see tests/core/test_strict_input.py)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField) and field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(text_length_validator())
        return fields

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name in data:
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [_("Unknown field; it is not accepted here.")]
                elif field.read_only:
                    errors[name] = [_("Read-only field; it cannot be written.")]
                elif isinstance(field, NUMERIC_FIELDS) and non_ascii_number(data[name]):
                    errors[name] = [NON_ASCII_NUMBER_MESSAGE]
                elif _holds_control(data[name]):
                    errors[name] = [CONTROL_MESSAGE]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _holds_control(value) -> bool:
    """Text, or text in a list or a nested object, holding a control character."""
    if isinstance(value, Mapping):
        return any(_holds_control(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_control(item) for item in value)
    return has_control(value)


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """A plain input serializer that refuses unknown and read-only fields."""


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A model input serializer that refuses unknown and read-only fields."""
