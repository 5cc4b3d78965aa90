"""A KPI written as columns beside each use case (name, unit, baseline, target, latest value)
becomes the use case's business metric and a reading of its latest value.

The use case row gives a metric row and a reading row with the same row number, read by the
same checks as the template's own metric and reading rows (units, goalposts locked since
G0, a reading never edited). A latest value without a date is read on the day of the
import, and is no new reading when the metric's latest reading already has that value.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.cells import is_blank
from inventory.plan import Plan, Row
from inventory.template import METRIC, READING, USE_CASE

KPI_KEYS = ("kpi", "kpi_unit", "kpi_direction", "kpi_baseline", "kpi_target", "kpi_latest",
            "kpi_as_of")  # fmt: skip
TO_METRIC = {"kpi": "metric", "kpi_unit": "unit", "kpi_direction": "direction",
             "kpi_baseline": "baseline", "kpi_target": "target"}  # fmt: skip
UNDATED = "undated"


def kpi_rows(plan: Plan, rows: list[Row]) -> list[Row]:
    """The rows with a metric row (and a reading row) after each use case row naming a KPI."""
    if not any(row.record == USE_CASE and any(row.has(k) for k in KPI_KEYS) for row in rows):
        return rows
    if "kpi_as_of" in plan.month_first_keys:
        plan.month_first_keys.add("measured")
    out = []
    for row in rows:
        out.append(row)
        if row.record != USE_CASE:
            continue
        if is_blank(row.get("kpi")):
            filled = [key for key in KPI_KEYS[1:] if not is_blank(row.get(key))]
            if filled:
                message = _(
                    "A KPI's values need the KPI's name: fill in the column '%(column)s'."
                ) % {"column": plan.header("kpi")}
                plan.error(row.number, filled[0], message, code="required",
                           reference=row.reference)  # fmt: skip
            continue
        metric = {to: row.get(key) for key, to in TO_METRIC.items() if row.has(key)}
        metric["metric_kind"] = "business"
        out.append(Row(row.number, metric, METRIC, row.reference))
        if not is_blank(row.get("kpi_latest")):
            measured = row.get("kpi_as_of")
            reading = {"metric": row.get("kpi"), "value": row.get("kpi_latest")}
            if is_blank(measured):
                reading["measured"] = timezone.localdate()
                reading[UNDATED] = True
            else:
                reading["measured"] = measured
            out.append(Row(row.number, reading, READING, row.reference))
    return out
