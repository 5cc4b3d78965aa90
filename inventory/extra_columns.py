"""The use case columns registered in core.columns, in the inventory's template, dry run,
apply and export: other apps' fixed columns (the inventory imports none of those apps) and
the organisation's own intake fields (``inventory.custom_columns``, columns read from the
database when a file is read or written). Each is hooked in with one line where the
inventory's own columns are handled."""

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
    # Sets whose columns are defined in the database come last, whatever the apps' order.
    SETS.sort(key=lambda registered: registered.columns_now is not None)
    for extra in column_set.columns:
        column = Column(extra.key, extra.header, (USE_CASE,), extra.help, extra.synonyms)
        COLUMNS.append(column)
        template.BY_KEY.setdefault(column.key, column)
        for name in (column.key, column.header, *column.synonyms):
            template._LOOKUP.setdefault(template.normalise(name), column.key)
    template.name_key.cache_clear()


def export_columns() -> list:
    """Every set's columns as they stand (the database's read once), in the file's order."""
    return [column for column_set in SETS for column in column_set.current_columns()]


def export_headers() -> list[str]:
    return [column.header for column in export_columns()]


def headers_now() -> dict[str, str]:
    """Header names (normalised) of the columns defined in the database, to their key: a
    column headed by the header, a synonym or the key maps to it (ahead of the template's)."""
    lookup = {}
    for column_set in SETS:
        if column_set.columns_now is None:
            continue
        for column in column_set.columns_now():
            for name in (column.header, *column.synonyms, column.key):
                lookup.setdefault(template.normalise(name), column.key)
    return lookup


def row_values(plan: Plan, row: Row, found, use_case) -> dict:
    """The values of a use case row that sets write with the use case's own save, by set."""
    values = {}
    for column_set in SETS:
        if column_set.row_values is not None:
            value = column_set.row_values(plan, row, found, use_case)
            if value is not None:
                values[column_set.name] = value
    return values


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
        if column_set.row_values is not None:
            continue  # checked row by row, written with the use case (row_values)
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
        if column_set.row_values is None and column_set.name in plan.extra:
            column_set.apply(plan.extra[column_set.name], use_case_of, actor)
