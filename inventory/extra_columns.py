"""The use case columns other apps register (core.columns), in the inventory's template,
dry run, apply and export. Each is hooked in with one line where the inventory's own
columns are handled; the inventory imports none of those apps."""

from core.columns import UseCaseCells
from inventory import template
from inventory.plan import Plan, Row
from inventory.template import USE_CASE, Column

SETS: list = []
COLUMNS: list[Column] = []  # theirs, as template columns


def columns_add(column_set) -> None:
    """Make a column set's columns template columns of use case rows (mapped, detected and
    matched by header or synonym like the template's own; the template's own names win)."""
    SETS.append(column_set)
    for extra in column_set.columns:
        column = Column(extra.key, extra.header, (USE_CASE,), extra.help, extra.synonyms)
        COLUMNS.append(column)
        template.BY_KEY.setdefault(column.key, column)
        for name in (column.key, column.header, *column.synonyms):
            template._LOOKUP.setdefault(template.normalise(name), column.key)
    template.name_key.cache_clear()


def export_keys() -> list[str]:
    return [column.key for column_set in SETS for column in column_set.columns]


def export_headers() -> list[str]:
    return [column.header for column_set in SETS for column in column_set.columns]


def export_cells(use_case_ids: list[int]) -> dict[int, dict[str, str]]:
    """{use case id: {key: cell}} of every column set (one round of queries per set)."""
    cells: dict[int, dict[str, str]] = {}
    for column_set in SETS:
        for use_case_id, values in column_set.export(use_case_ids).items():
            cells.setdefault(use_case_id, {}).update(values)
    return cells


def extra_plan(plan: Plan, rows: list[Row], found) -> None:
    """Each column set's dry run of the use case rows that fill its columns; its errors are
    the file's errors, its summary goes in the report."""
    for column_set in SETS:
        keys = [column.key for column in column_set.columns]
        cells = [
            UseCaseCells(
                row=row.number,
                reference=row.reference,
                use_case=found.use_cases.get(row.reference),
                cells={key: row.get(key) for key in keys if row.has(key)},
            )
            for row in rows
            if row.record == USE_CASE and any(row.has(key) for key in keys)
        ]
        if not cells:
            continue
        column_plan = column_set.plan(cells)
        references = {c.row: c.reference for c in cells}
        for number, key, message in column_plan.errors:
            plan.error(number, key, message, reference=references.get(number, ""))
        plan.extra[column_set.name] = column_plan


def extra_apply(plan: Plan, *, use_case_of, actor) -> None:
    """Write what each column set planned, once the file's use cases exist."""
    for column_set in SETS:
        if column_set.name in plan.extra:
            column_set.apply(plan.extra[column_set.name], use_case_of, actor)
