"""Reads of the organisation's own intake fields."""

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
