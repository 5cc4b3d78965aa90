"""The organisation's own intake fields as columns of the inventory file, registered like
other apps' columns (``core.columns``, a set whose columns are read from the database) and
mapped like any other: a column headed by the field's label, its key or ``custom.<key>``
becomes ``custom.<key>``; the export writes one such column per field, last.

A cell is read as text (``portfolio.custom_fields.answer_parse`` with ``from_text``: yes/no
as yes or no, several choices separated by ``;``, a person by user name or e-mail), and the
answers of a row are checked with the same rule every interface uses
(``portfolio.services.custom_fields.custom_answers_merge``).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from core.columns import ColumnPlan, ColumnSet, ExtraColumn
from inventory.cells import CellError, text
from inventory.template import normalise
from portfolio.choices import CustomFieldKind
from portfolio.custom_fields import AnswerError, answer_parse, answer_text, error_message
from portfolio.models import UseCase
from portfolio.selectors_custom import custom_fields
from portfolio.services.custom_fields import custom_answers_merge, custom_key

CUSTOM = "custom"


def custom_columns_now() -> tuple[ExtraColumn, ...]:
    """One column per field, retired ones too (their answers stay on the record)."""
    return tuple(
        ExtraColumn(custom_key(f.key), f.label, f.help_text, (f.key,))
        for f in custom_fields(retired=True)
    )


def _person(identifier: str, found) -> int | None:
    user = found.people.get(identifier.lower())
    if user is None:
        user = (
            get_user_model()
            .objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
            .first()
        )
    if user is None:
        raise AnswerError(_("no person '%s' in Flywheel (user name or e-mail).") % identifier)
    return user.pk


def _department_id(plan, row, found) -> int | None:
    """The existing department a new row names (None: none, or one to be created)."""
    try:
        name = text(row.get("department")) if row.has("department") else plan.options.department
    except CellError:
        return None
    department = found.departments.get(normalise(name or ""))
    return department.pk if department is not None else None


def custom_values(plan, row, found, *, use_case=None) -> dict | None:
    """The row's answers merged into those ``use_case`` has (none for a new row); None when
    the file has no custom column or a cell is refused, with the row's errors on the plan."""
    current = use_case.custom if use_case is not None else {}
    department_id = use_case.department_id if use_case else _department_id(plan, row, found)
    fields = getattr(found, "custom_fields", None)
    if fields is None:
        fields = found.custom_fields = {f.key: f for f in custom_fields(retired=True)}
    given = {}
    for key, field in fields.items():
        column = custom_key(key)
        if not row.has(column):
            continue
        raw = row.get(column)
        try:
            if field.kind == CustomFieldKind.PERSON and not _blank(raw):
                raw = _person(str(raw).strip(), found)
            given[key] = answer_parse(field, raw, from_text=True)
        except AnswerError as exc:
            plan.error(row.number, column, error_message(field, str(exc)), reference=row.reference)
    if not given or any(e.row == row.number for e in plan.errors):
        return None
    try:
        return custom_answers_merge(
            current=current, changes=given, department_id=department_id, fields=fields
        )
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            plan.error(row.number, column, " ".join(messages), reference=row.reference)
        return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def export_cells(use_case, fields, usernames: dict) -> list[str]:
    """One use case's answers as cells, a person by user name."""
    answers = use_case.custom or {}
    cells = []
    for field in fields:
        value = answers.get(field.key)
        if field.kind == CustomFieldKind.PERSON and value is not None:
            value = usernames.get(value, value)
        cells.append(answer_text(value))
    return cells


def custom_usernames(use_cases, fields) -> dict[int, str]:
    """The user names of the people the use cases' person answers name (one query)."""
    keys = [f.key for f in fields if f.kind == CustomFieldKind.PERSON]
    ids = {(uc.custom or {}).get(key) for uc in use_cases for key in keys} - {None}
    if not ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))


def custom_export(use_case_ids: list[int]) -> dict[int, dict[str, str]]:
    """{use case id: {custom.<key>: cell}} (four queries: fields, answers, people)."""
    fields = custom_fields(retired=True)
    if not fields:
        return {}
    use_cases = list(UseCase.objects.filter(pk__in=use_case_ids).only("pk", "custom"))
    usernames = custom_usernames(use_cases, fields)
    keys = [custom_key(field.key) for field in fields]
    return {
        uc.pk: dict(zip(keys, export_cells(uc, fields, usernames), strict=True)) for uc in use_cases
    }


def _row_values(plan, row, found, use_case):
    return custom_values(plan, row, found, use_case=use_case)


CUSTOM_COLUMNS = ColumnSet(
    name=CUSTOM,
    columns=(),
    export=custom_export,
    plan=lambda cells: ColumnPlan(),  # never called: the answers go with the use case
    apply=lambda column_plan, use_case_of, actor: None,
    columns_now=custom_columns_now,
    row_values=_row_values,
)
