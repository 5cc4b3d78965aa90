"""Reads of the organisation's own intake fields."""

import json

from django.db.models.fields.json import KeyTextTransform

from portfolio.choices import CustomFieldKind
from portfolio.custom_fields import applies_to
from portfolio.models import CustomField


def custom_fields(*, department_id: int | None = None, retired: bool = False) -> list:
    """The fields in their order, each with ``department_ids`` (a frozenset, empty: every
    department) and ``shown_when_key``; the active ones unless ``retired``; only those asked
    in ``department_id`` when given (two queries, whatever the number of fields)."""
    rows = CustomField.objects.select_related("shown_when").prefetch_related("departments")
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    fields = []
    for field in rows:
        field.department_ids = frozenset(d.pk for d in field.departments.all())
        field.shown_when_key = field.shown_when.key if field.shown_when_id else None
        if department_id is None or applies_to(field, department_id):
            fields.append(field)
    return fields


def custom_definitions(*, retired: bool = True) -> list:
    """The fields' definitions alone, in their order (one query, whatever the number): for
    the lists' filters and columns, which need no departments or conditions."""
    rows = CustomField.objects.all()
    return list(rows if retired else rows.filter(retired_at__isnull=True))


def with_custom_answer(queryset, field, answer):
    """The use cases whose answer to ``field`` is ``answer`` (its stored form); for several
    choices, those that chose the one given (``answer[0]``)."""
    if field.kind == CustomFieldKind.CHOICES:
        text = KeyTextTransform(field.key, "custom")
        return queryset.alias(**{f"_custom_{field.key}": text}).filter(
            **{f"_custom_{field.key}__contains": json.dumps(answer[0])}
        )
    return queryset.filter(**{f"custom__{field.key}": answer})


def with_custom_answered(queryset, field, *, answered: bool = True):
    """The use cases that answered ``field`` (or, ``answered=False``, those that did not)."""
    lookup = {"custom__has_key": field.key}
    return queryset.filter(**lookup) if answered else queryset.exclude(**lookup)
