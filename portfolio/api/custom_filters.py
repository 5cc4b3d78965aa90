"""List filters on the organisation's own intake fields: ``?custom.<key>=<answer>``.

The filters are added to the use case list's FilterSet when a request names one (or names
a parameter the list does not know, so the 400 lists every accepted one) and when the
schema is generated, so the strict query check and the schema see the installation's
fields. The answer is read as text, by the field's kind (a wrong one is a 400 naming the
field by label and key); several choices match a use case that chose the one given.
"""

import django_filters as filters
from django.core.exceptions import ValidationError

from portfolio.custom_fields import AnswerError, answer_parse, error_message
from portfolio.selectors_custom import custom_fields, with_custom_answer
from portfolio.services.custom_fields import custom_key


class CustomAnswerFilter(filters.CharFilter):
    """Use cases whose answer to one custom field is the one given."""

    def __init__(self, *args, definition, **kwargs):
        self.definition = definition
        kwargs.setdefault("label", definition.label)
        kwargs.setdefault("max_length", 2000)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        field = self.definition
        try:
            answer = answer_parse(field, value, from_text=True)
        except AnswerError as exc:
            message = error_message(field, str(exc))
            raise ValidationError({custom_key(field.key): [message]}) from None
        return with_custom_answer(qs, field, answer)


def with_custom_filters(filterset_class, *, definitions=None):
    """The FilterSet with one filter per custom field (retired ones too: their answers stay
    on the record and can be found)."""
    definitions = custom_fields(retired=True) if definitions is None else definitions
    if not definitions:
        return filterset_class
    declared = {custom_key(d.key): CustomAnswerFilter(definition=d) for d in definitions}
    return type(filterset_class.__name__, (filterset_class,), declared)


def wants_custom_filters(view, filterset_class) -> bool:
    """A schema, a custom filter asked for, or a parameter the list does not know."""
    if getattr(view, "swagger_fake_view", False):
        return True
    request = getattr(view, "request", None)
    if request is None:
        return True
    known = {*filterset_class.base_filters, "page", "page_size", "format", "ordering"}
    return any(name not in known for name in request.query_params)
