"""The dry run of a whole file: its rows read (inventory.plan), its use cases
(inventory.plan_use_cases), then their metrics, readings and gaps (inventory.plan_details),
against the database in a fixed number of queries per thousand rows; nothing is written.

It sits above the planners it calls, which share the plan's types from inventory.plan.
"""

from inventory.plan import ImportOptions, Plan, lookups_fetch, rows_read
from inventory.plan_details import plan_details
from inventory.plan_kpis import kpi_rows
from inventory.plan_templates import template_references
from inventory.plan_use_cases import PEOPLE_KEYS, plan_use_cases
from inventory.template import USE_CASE


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
    plan.outcomes.sort(key=lambda o: o.row)
    return plan
