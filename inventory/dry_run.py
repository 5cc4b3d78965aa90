"""The dry run: the file's rows read through the mapping, then every part of the plan (use
cases, their stage history, metrics, readings and gaps) built against the database; nothing
is written. The record it fills is inventory.plan's ``Plan``."""

from collections import Counter

from django.utils.translation import gettext as _

from inventory.cells import CellError, text
from inventory.extra_columns import extra_plan, headers_now
from inventory.mapping import (
    AMBIGUOUS,
    MONTH_FIRST,
    ColumnChoice,
    MappingError,
    date_readings,
    duplicate_fields,
    is_placeholder,
    mapping_suggest,
)
from inventory.plan import REFERENCE_MAX, ImportOptions, Plan, Row, lookups_fetch
from inventory.plan_details import plan_details
from inventory.plan_kpis import kpi_rows
from inventory.plan_templates import template_references
from inventory.plan_use_cases import PEOPLE_KEYS, plan_use_cases
from inventory.template import BY_KEY, USE_CASE, HeaderMatch, record_of


def _read_mapping(plan: Plan, table) -> list:
    """The columns and the fields they become; one error per problem with the mapping."""

    try:
        columns = mapping_suggest(
            table.headers,
            table.rows,
            hidden_columns=set(table.meta.get("hidden_columns", ())),
            chosen=plan.options.mapping,
            date_orders=plan.options.date_orders,
            custom=headers_now(),
        )
    except MappingError as exc:
        plan.error(None, None, str(exc), code="invalid_mapping", header="")
        return []
    plan.columns = columns
    plan.mapping = [HeaderMatch(c.position, c.header, c.key) for c in columns]
    for key, first, second in duplicate_fields(columns):
        plan.error(
            None,
            key,
            _(
                "Columns %(first)s and %(second)s are both mapped to '%(field)s'; map "
                "one of them to another field or ignore it."
            )
            % {
                "first": first.label,
                "second": second.label,
                "field": BY_KEY[key].header if key in BY_KEY else key,
            },
            code="duplicate_mapping",
            header=second.header,
        )
    for column in columns:
        if not column.key:
            continue
        if column.date_order == MONTH_FIRST:
            plan.month_first_keys.add(column.key)
        elif column.date_order == AMBIGUOUS and not plan.options.month_first:
            day, month = date_readings(column.date_example)
            plan.error(
                None,
                column.key,
                _(
                    "The dates of column %(label)s read two ways: %(date_example)s is "
                    "%(day)s (day first) or %(month)s (month first). Choose the order of "
                    "this column."
                )
                % {
                    "label": column.label,
                    "date_example": column.date_example,
                    "day": day,
                    "month": month,
                },
                code="ambiguous_dates",
                header=column.header,
            )
    width = len(table.headers)
    for column in columns:
        if column.key is None and column.cells:
            plan.ignored.append({"column": column.header, "letter": column.letter,
                                 "cells": column.cells, "why": "not mapped"})  # fmt: skip
    beyond: Counter = Counter()
    for values in table.rows:
        for position in range(width, len(values)):
            value = values[position]
            if value is not None and str(value).strip():
                beyond[position] += 1

    for position, cells in sorted(beyond.items()):
        letter = ColumnChoice(position, "", None, "").letter
        plan.ignored.append({"column": "", "letter": letter, "cells": cells,
                             "why": "no header above it"})  # fmt: skip
    return columns


def rows_read(plan: Plan, table) -> list[Row]:
    """The rows of the table keyed by field; blank rows skipped, 'N/A' and the like empty."""

    columns = _read_mapping(plan, table)
    keyed = [(c.position, c.key) for c in columns if c.key]
    present = {key for _, key in keyed}
    if columns and "reference" not in present:
        plan.missing.add("reference")
        plan.error(
            None,
            "reference",
            _(
                "No column is mapped to Reference (your key of each use case): map the "
                "column that holds it; every row needs one."
            ),
            code="missing_column",
        )
    if not columns:
        return []
    rows = []
    for index, values in enumerate(table.rows):
        number = table.first_row + index
        cells = {}
        for position, key in keyed:
            value = values[position] if position < len(values) else None
            if key != "reference" and is_placeholder(value):
                value = None
            cells[key] = value
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        record = record_of(cells.get("record"))
        if record is None:
            plan.error(
                number,
                "record",
                _("'%(value)s' is not a record type: use use case, metric, reading or data gap.")
                % {"value": cells.get("record")},
                code="invalid_record",
            )
            continue
        try:
            reference = text(cells.get("reference"))
        except CellError as exc:
            plan.error(number, "reference", str(exc), code="formula")
            continue
        if not reference and "reference" in present:
            plan.error(
                number, "reference", _("Every row needs the use case's reference."), code="required"
            )
            continue
        if len(reference) > REFERENCE_MAX:
            plan.error(
                number,
                "reference",
                _("A reference has at most %(reference_max)s characters.")
                % {"reference_max": REFERENCE_MAX},
                code="invalid",
                reference=reference[:REFERENCE_MAX],
            )
            continue
        if "reference" not in present:
            continue
        rows.append(Row(number, cells, record, reference))
    if not rows and not plan.errors:
        plan.error(
            None,
            None,
            _("The file has a header but no rows to import."),
            code="empty_file",
            header="",
        )
    return rows


def plan_build(*, table, source_file: str, options: ImportOptions, progress=None) -> Plan:
    """The dry run of ``table``: nothing is written."""
    plan = Plan(source_file=source_file, options=options)
    plan.file_meta = {
        "format": table.format,
        "encoding": table.encoding,
        "rows_in_file": len(table.rows),
        **table.meta,
    }
    rows = rows_read(plan, table)
    if not rows:
        return plan
    rows = kpi_rows(plan, rows)
    people = {
        str(row.get(key)).strip()
        for row in rows
        if row.record == USE_CASE
        for key in PEOPLE_KEYS
        if row.get(key) not in (None, "")
    }
    references = {row.reference for row in rows} | template_references(rows)
    found = lookups_fetch(references=references, people=people)
    plan.found = found
    plan_use_cases(plan, rows, found, progress=progress)
    plan_details(plan, rows, found, progress=progress)
    extra_plan(plan, rows, found)
    plan.outcomes.sort(key=lambda o: o.row)
    return plan
