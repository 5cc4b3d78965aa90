"""The inventory as a file in the import template: what is exported can be imported again.

Readings are exported as they count: a reading a correction superseded is left out, and the
correction's row says so in the Correction column (the value it replaced, when that was
recorded, and why). Re-importing matches the current reading, so the file changes nothing;
the superseded readings stay on the record in Flywheel (the API and the admin list them).

Streamed: the rows are read a thousand use cases at a time and written as they come (CSV
line by line; the .xlsx through openpyxl's write-only mode into a temporary file), so time
grows with the size and memory does not. Text that a spreadsheet would take
for a formula is neutralised with a leading apostrophe (the importer takes it off again).
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from core.api.csv import csv_safe
from inventory.extra_columns import export_cells as extra_cells
from inventory.extra_columns import export_columns
from inventory.files import stream_table, write_table
from inventory.plan import EXPORT_PREFIX
from inventory.plan_lessons import lesson_cells
from inventory.plan_moves import STAGE_OF
from inventory.plan_use_cases import FIELD_KEYS, PEOPLE_KEYS
from inventory.template import COLUMNS, DATA_GAP, HEADERS, METRIC, READING, USE_CASE
from portfolio.choices import Transition
from portfolio.models import (
    DataGap,
    Lesson,
    Metric,
    MetricReading,
    TransitionRecord,
    UseCase,
)

EXAMPLE = (
    {"record": USE_CASE, "reference": "INV-001", "title": "Claims triage assistant",
     "department": "Claims", "origin": "bottom-up", "outcome_owner": "jane@example.com",
     "build_cost": "120000", "expected_benefit_yearly": "300000", "submitted": "2024-01-15",
     "pilot": "2024-03-01", "scale": "2024-07-01"},
    {"record": METRIC, "reference": "INV-001", "metric": "Handling time", "metric_kind": "business",
     "unit": "minutes", "direction": "lower", "baseline": "42", "target": "30",
     "cadence": "monthly"},
    {"record": METRIC, "reference": "INV-001", "metric": "Routing accuracy",
     "metric_kind": "technical", "unit": "%", "direction": "higher", "cadence": "weekly",
     "paired_with": "Handling time"},
    {"record": READING, "reference": "INV-001", "metric": "Handling time", "value": "39.5",
     "measured": "2024-04-30"},
    {"record": DATA_GAP, "reference": "INV-001", "gap": "Claims history before 2019 on paper",
     "closing_work": "Scan and index archive", "work_owner": "Records team",
     "owner_committed": "yes", "blocks_production": "no"},
)  # fmt: skip


def neutralise(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (core's csv_safe,
    the one rule of every export)."""
    return csv_safe(value)


def moment(at: datetime) -> str:
    """A moment as the template writes it: the date alone at midnight, else to the second."""
    local = timezone.localtime(at)
    if local.time() == time(0):
        return f"{local:%Y-%m-%d}"
    return f"{local:%Y-%m-%d %H:%M:%S}"


def cell(value) -> str:
    """A value as the template writes it (yes/no, plain decimals, neutralised text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return neutralise(str(value))


def reference_of(use_case: UseCase) -> str:
    """The reference a use case is exported (and matched) under."""
    return use_case.external_reference or f"{EXPORT_PREFIX}{use_case.pk}"


def _stage_cells(records) -> dict:
    stages = defaultdict(list)
    reason = ""
    for record in records:
        stages[STAGE_OF[record.transition]].append(moment(record.at))
        if record.transition == Transition.KILL:
            reason = record.reason
    cells = {key: "; ".join(dates) for key, dates in stages.items()}
    if reason:
        cells["kill_reason"] = neutralise(reason)
    return cells


def _correction(reading: MetricReading) -> str:
    """What a correcting reading replaced, or "" for a reading as first recorded."""
    earlier = reading.supersedes
    if earlier is None:
        return ""
    return neutralise(
        f"corrects {cell(earlier.value)} measured {moment(earlier.measured_at)}: "
        f"{reading.correction_reason}"
    )


# Use cases read per round of queries: memory stays bounded whatever the portfolio's size.
EXPORT_CHUNK = 1000


def inventory_rows(*, department_id: int | None = None, extra=None) -> Iterator[list[str]]:
    """Every use case (with its metrics, readings and gaps) as rows of the template, read
    EXPORT_CHUNK use cases at a time (six queries each, and the registered column sets'
    own: core.columns; one for the order), then the ``extra`` columns (the registered sets'
    as they stand, read once for the file)."""
    extra = export_columns() if extra is None else extra
    ordered = UseCase.objects.order_by("submitted_at", "id")
    if department_id is not None:
        ordered = ordered.filter(department_id=department_id)
    ids = list(ordered.values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_CHUNK):
        yield from _chunk_rows(ids[start : start + EXPORT_CHUNK], extra)


def _chunk_rows(ids: list[int], extra_columns: list) -> Iterator[list[str]]:
    by_pk = UseCase.objects.select_related(
        "department", "outcome_owner", "sponsor", "operator_lead", "template"
    ).in_bulk(ids)
    use_cases = [by_pk[pk] for pk in ids if pk in by_pk]
    records, metrics, readings, gaps = (defaultdict(list) for _ in range(4))
    for record in TransitionRecord.objects.filter(use_case_id__in=ids).order_by("at", "id"):
        records[record.use_case_id].append(record)
    for metric in (
        Metric.objects.filter(use_case_id__in=ids)
        .select_related("paired_with")
        .order_by("kind", "id")
    ):
        metrics[metric.use_case_id].append(metric)
    for reading in (
        MetricReading.objects.current()
        .filter(metric__use_case_id__in=ids)
        .select_related("supersedes")
        .order_by("measured_at", "id")
    ):
        readings[reading.metric_id].append(reading)
    lessons = Lesson.objects.in_bulk(ids, field_name="use_case_id")
    for gap in DataGap.objects.filter(use_case_id__in=ids).order_by("id"):
        gaps[gap.use_case_id].append(gap)
    # The registered columns (inventory.extra_columns) after the template's: other apps',
    # then the organisation's own fields.
    keys = [column.key for column in COLUMNS] + [column.key for column in extra_columns]
    extra = extra_cells(ids)

    def row(values: dict) -> list[str]:
        return [values.get(key, "") for key in keys]

    for use_case in use_cases:
        reference = reference_of(use_case)
        values = {"record": USE_CASE, "reference": reference,
                  "department": use_case.department.name}  # fmt: skip
        for key in FIELD_KEYS:
            value = getattr(use_case, key)
            if key in PEOPLE_KEYS:
                values[key] = value.username if value else ""
            else:
                values[key] = cell(value)
        values["template"] = reference_of(use_case.template) if use_case.template_id else ""
        values.update(_stage_cells(records[use_case.pk]))
        values.update(extra.get(use_case.pk, {}))
        values.update({k: cell(v) for k, v in lesson_cells(lessons.get(use_case.pk)).items()})
        yield row(values)
        for metric in metrics[use_case.pk]:
            yield row(
                {
                    "record": METRIC,
                    "reference": reference,
                    "metric": cell(metric.name),
                    "metric_kind": metric.kind,
                    "unit": cell(metric.unit),
                    "direction": metric.direction,
                    "baseline": cell(metric.baseline),
                    "target": cell(metric.target),
                    "cadence": metric.cadence,
                    "paired_with": cell(metric.paired_with.name if metric.paired_with else None),
                }
            )
        for metric in metrics[use_case.pk]:
            for reading in readings[metric.pk]:
                yield row(
                    {
                        "record": READING,
                        "reference": reference,
                        "metric": cell(metric.name),
                        "value": cell(reading.value),
                        "measured": moment(reading.measured_at),
                        "note": cell(reading.note),
                        "correction": _correction(reading),
                    }
                )
        for gap in gaps[use_case.pk]:
            yield row(
                {
                    "record": DATA_GAP,
                    "reference": reference,
                    "gap": cell(gap.description),
                    "closing_work": cell(gap.closing_work),
                    "work_owner": cell(gap.work_owner),
                    "owner_committed": cell(gap.owner_committed),
                    "blocks_production": cell(gap.blocks_production),
                }
            )


def inventory_export_stream(
    *, file_format: str = "xlsx", department_id: int | None = None
) -> Iterator[bytes]:
    """The inventory in the import template, as pieces of a .xlsx or CSV file produced as
    the rows are read (a download response streams them)."""
    extra = export_columns()
    return stream_table(
        [*HEADERS, *(column.header for column in extra)],
        inventory_rows(department_id=department_id, extra=extra),
        file_format=file_format,
    )


def inventory_export(*, file_format: str = "xlsx", department_id: int | None = None) -> bytes:
    """The inventory in the import template, as .xlsx or CSV (the whole file)."""
    return b"".join(inventory_export_stream(file_format=file_format, department_id=department_id))


def template_file(*, file_format: str = "xlsx") -> bytes:
    """The empty template with one example of each record (delete them before importing)."""
    extra = export_columns()
    keys = [column.key for column in COLUMNS] + [column.key for column in extra]
    rows = [[example.get(key, "") for key in keys] for example in EXAMPLE]
    return write_table(
        [*HEADERS, *(column.header for column in extra)], rows, file_format=file_format
    )
