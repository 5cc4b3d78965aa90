"""The dry run of metric, reading and data gap rows, each naming its use case by reference."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from inventory.cells import (
    CellError,
    aware,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    text,
)
from inventory.plan import Outcome, Plan, Row
from inventory.plan_use_cases import earliest
from inventory.template import DATA_GAP, METRIC, READING, USE_CASE, normalise
from portfolio.choices import TERMINAL_STATES, Cadence, Direction, MetricKind
from portfolio.models import DataGap, Metric

GOALPOSTS = ("name", "unit", "direction", "baseline", "target", "cadence")
METRIC_CHOICES = {
    "metric_kind": (MetricKind, {"outcome": MetricKind.BUSINESS, "tech": MetricKind.TECHNICAL}),
    "direction": (
        Direction,
        {
            "up": Direction.HIGHER,
            "increase": Direction.HIGHER,
            "down": Direction.LOWER,
            "decrease": Direction.LOWER,
            "higher is better": Direction.HIGHER,
            "lower is better": Direction.LOWER,
        },
    ),
    "cadence": (
        Cadence,
        {
            "day": Cadence.DAILY,
            "week": Cadence.WEEKLY,
            "biweekly": Cadence.FORTNIGHTLY,
            "month": Cadence.MONTHLY,
            "quarter": Cadence.QUARTERLY,
            "year": Cadence.YEARLY,
            "annual": Cadence.YEARLY,
            "annually": Cadence.YEARLY,
        },
    ),
}
METRIC_DEFAULTS = {
    "metric_kind": MetricKind.BUSINESS,
    "direction": Direction.HIGHER,
    "cadence": Cadence.MONTHLY,
}
TO_FIELD = {"metric_kind": "kind"}


@dataclass
class NewMetric:
    row: int
    reference: str
    name: str
    fields: dict
    paired_name: str


@dataclass
class NewReading:
    row: int
    reference: str
    metric_key: str
    value: object
    measured_at: datetime
    note: str


@dataclass
class NewGap:
    row: int
    reference: str
    fields: dict


def _read(plan: Plan, row: Row, key: str, parse):
    if not row.has(key):
        return True, None
    try:
        return True, parse(row.get(key))
    except CellError as exc:
        plan.error(row.number, key, str(exc), reference=row.reference)
        return False, None


def _closed(use_case) -> bool:
    return use_case is not None and use_case.state in TERMINAL_STATES


def _unknown_reference(plan: Plan, row: Row) -> None:
    plan.error(
        row.number,
        "reference",
        f"No use case '{row.reference}' in the file or in Flywheel.",
        code="unknown_reference",
        reference=row.reference,
    )


def _metric_values(plan: Plan, row: Row) -> tuple[bool, dict]:
    values, ok = {}, True
    for key in ("metric_kind", "direction", "cadence"):
        choices, extra = METRIC_CHOICES[key]
        good, value = _read(
            plan, row, key, lambda v, c=choices, e=extra: parse_choice(v, c, extra=e)
        )
        ok &= good
        if row.has(key):
            values[TO_FIELD.get(key, key)] = value or METRIC_DEFAULTS[key]
    for key in ("baseline", "target"):
        good, value = _read(plan, row, key, parse_decimal)
        ok &= good
        if row.has(key):
            values[key] = value
    for key in ("unit", "paired_with"):
        good, value = _read(plan, row, key, text)
        ok &= good
        if row.has(key):
            values[key] = value or ""
    return ok, values


def _plan_metrics(plan: Plan, rows: list[Row], found, refs: set[str]) -> dict:
    """Returns the metrics the file and the database know, (reference, name) -> kind."""
    metric_rows, known = [], {}
    by_pk = {uc.pk: ref for ref, uc in found.use_cases.items()}
    for (use_case_id, name_key), metric in found.metrics.items():
        known[(by_pk[use_case_id], name_key)] = metric.kind
    seen = {}
    for row in (r for r in rows if r.record == METRIC):
        outcome = Outcome(row.number, METRIC, row.reference, label=str(row.get("metric") or ""))
        plan.outcomes.append(outcome)
        before = len(plan.errors)
        ok, name = _read(plan, row, "metric", text)
        valid, values = _metric_values(plan, row)
        if ok and not name:
            plan.error(
                row.number,
                "metric",
                "A metric row needs the metric's name.",
                code="required",
                reference=row.reference,
            )
        elif ok and (row.reference, name.casefold()) in seen:
            plan.error(
                row.number,
                "metric",
                f"Metric '{name}' of '{row.reference}' is already on "
                f"row {seen[(row.reference, name.casefold())]}.",
                code="duplicate_metric",
                reference=row.reference,
            )
        elif ok:
            seen[(row.reference, name.casefold())] = row.number
            kind = values.get("kind")
            if (row.reference, name.casefold()) not in known or kind:
                known[(row.reference, name.casefold())] = kind or MetricKind.BUSINESS
        if len(plan.errors) > before or not valid:
            outcome.status = "error"
            continue
        if row.reference not in refs:
            _unknown_reference(plan, row)
            outcome.status = "error"
            continue
        metric_rows.append((row, name, values, outcome))
    for row, name, values, outcome in metric_rows:
        _plan_metric(plan, row, name, values, outcome, found, known)
    return known


def _check_pairing(plan: Plan, row: Row, kind: str, paired: str, known: dict) -> bool:
    if kind == MetricKind.BUSINESS:
        if paired:
            plan.error(
                row.number,
                "paired_with",
                "Only technical metrics are paired.",
                reference=row.reference,
            )
            return False
        return True
    if not paired:
        plan.error(
            row.number,
            "paired_with",
            "Name the business metric this technical metric moves (metric pairing).",
            code="unpaired",
            reference=row.reference,
        )
        return False
    if known.get((row.reference, paired.casefold())) != MetricKind.BUSINESS:
        plan.error(
            row.number,
            "paired_with",
            f"'{paired}' is not a business metric of '{row.reference}'.",
            code="unpaired",
            reference=row.reference,
        )
        return False
    return True


def _plan_metric(plan: Plan, row: Row, name: str, values: dict, outcome, found, known) -> None:
    before = len(plan.errors)
    use_case = found.use_cases.get(row.reference)
    metric = found.metrics.get((use_case.pk, name.casefold())) if use_case else None
    paired = values.pop("paired_with", None)
    if metric is None:
        fields = {
            "kind": MetricKind.BUSINESS,
            "direction": Direction.HIGHER,
            "cadence": Cadence.MONTHLY,
            **values,
        }
        if not fields.get("unit"):
            plan.error(
                row.number,
                "unit",
                "A new metric needs its unit.",
                code="required",
                reference=row.reference,
            )
        try:
            Metric(name=name, **fields).clean_fields(exclude=["use_case", "paired_with"])
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                plan.error(row.number, field_name, " ".join(messages), reference=row.reference)
        _check_pairing(plan, row, fields["kind"], paired or "", known)
        if len(plan.errors) > before:
            outcome.status = "error"
        elif _closed(use_case):
            plan.refuse(
                row.number,
                "metric",
                f"Not added: the use case is {use_case.state}.",
                code="use_case_closed",
                reference=row.reference,
            )
        elif use_case and use_case.metrics_locked_at and fields["kind"] == MetricKind.BUSINESS:
            plan.refuse(
                row.number,
                "metric",
                "Not added: business metrics are locked since G0 "
                f"({use_case.metrics_locked_at:%Y-%m-%d}); adding one is a re-baselining "
                "request to the board.",
                code="metric_locked",
                reference=row.reference,
            )
        else:
            outcome.status = "created"
            plan.new_metrics.append(
                NewMetric(row.number, row.reference, name, fields, paired or "")
            )
        return
    changes = {}
    for field_name, value in values.items():
        current = getattr(metric, field_name)
        if (current if current is not None else "") != (value if value is not None else ""):
            changes[field_name] = value
    if paired is not None:
        current = metric.paired_with.name if metric.paired_with_id else ""
        if current.casefold() != paired.casefold():
            if not _check_pairing(plan, row, metric.kind, paired, known):
                outcome.status = "error"
                return
            changes["paired_with"] = paired
    if "kind" in changes:
        plan.refuse(
            row.number,
            "metric_kind",
            "Not changed: a metric keeps its kind.",
            code="metric_kind_fixed",
            reference=row.reference,
        )
        del changes["kind"]
    locked = metric.kind == MetricKind.BUSINESS and use_case.metrics_locked_at
    for field_name in sorted(changes):
        if _closed(use_case) or (locked and field_name in GOALPOSTS):
            why = (
                f"the use case is {use_case.state}"
                if _closed(use_case)
                else f"the goalposts are locked since G0 ({use_case.metrics_locked_at:%Y-%m-%d}); "
                "ask the board for a re-baselining"
            )
            plan.refuse(
                row.number,
                field_name,
                f"{field_name.capitalize()} not changed: {why}.",
                code="metric_locked",
                reference=row.reference,
            )
            del changes[field_name]
    if changes:
        outcome.status = "changed"
        outcome.changes = {
            k: [str(getattr(metric, k) or ""), str(v or "")] for k, v in changes.items()
        }
        plan.changed_metrics.append((metric, changes))


def _moment(plan: Plan, row: Row):
    ok, value = _read(
        plan, row, "measured", lambda v: parse_date(v, month_first=plan.options.month_first)
    )
    if not ok:
        return None
    if value is None:
        plan.error(
            row.number,
            "measured",
            "A reading needs the date it was measured.",
            code="required",
            reference=row.reference,
        )
        return None
    at = aware(value, settings.TIME_ZONE)
    if at.date() < earliest():
        plan.error(
            row.number,
            "measured",
            f"{at:%Y-%m-%d} is before {earliest():%Y-%m-%d}, the earliest plausible date.",
            code="implausible_date",
            reference=row.reference,
        )
        return None
    if at > timezone.now():
        plan.error(
            row.number,
            "measured",
            f"{at:%Y-%m-%d} is in the future: a reading is measured, not planned.",
            code="future_reading",
            reference=row.reference,
        )
        return None
    return at


def _plan_readings(plan: Plan, rows: list[Row], found, known: dict) -> None:
    seen = {}
    for row in (r for r in rows if r.record == READING):
        outcome = Outcome(row.number, READING, row.reference, label=str(row.get("metric") or ""))
        plan.outcomes.append(outcome)
        before = len(plan.errors)
        _, name = _read(plan, row, "metric", text)
        _, value = _read(plan, row, "value", parse_decimal)
        _, note = _read(plan, row, "note", text)
        at = _moment(plan, row)
        if value is None and len(plan.errors) == before:
            plan.error(
                row.number,
                "value",
                "A reading needs its value.",
                code="required",
                reference=row.reference,
            )
        if name is not None and (row.reference, (name or "").casefold()) not in known:
            plan.error(
                row.number,
                "metric",
                f"No metric '{name}' of '{row.reference}' in the file or in Flywheel.",
                code="unknown_metric",
                reference=row.reference,
            )
        if len(plan.errors) > before:
            outcome.status = "error"
            continue
        key = (row.reference, name.casefold(), at)
        if key in seen:
            plan.error(
                row.number,
                "measured",
                f"The same reading is already on row {seen[key]}.",
                code="duplicate_reading",
                reference=row.reference,
            )
            outcome.status = "error"
            continue
        seen[key] = row.number
        use_case = found.use_cases.get(row.reference)
        metric = found.metrics.get((use_case.pk, name.casefold())) if use_case else None
        existing = found.readings.get((metric.pk, at.replace(microsecond=0))) if metric else None
        if existing is not None:
            if existing.value != value:
                plan.refuse(
                    row.number,
                    "value",
                    f"A reading of {existing.value} on {at:%Y-%m-%d} "
                    "is on the record; readings are never edited (add a correcting "
                    "reading with a note).",
                    code="reading_kept",
                    reference=row.reference,
                )
        elif _closed(use_case):
            plan.refuse(
                row.number,
                "value",
                f"Not added: the use case is {use_case.state}.",
                code="use_case_closed",
                reference=row.reference,
            )
        else:
            outcome.status = "created"
            plan.new_readings.append(
                NewReading(row.number, row.reference, name.casefold(), value, at, note or "")
            )


def _plan_gaps(plan: Plan, rows: list[Row], found, refs: set[str]) -> None:
    seen = {}
    for row in (r for r in rows if r.record == DATA_GAP):
        outcome = Outcome(row.number, DATA_GAP, row.reference, label=str(row.get("gap") or ""))
        plan.outcomes.append(outcome)
        before = len(plan.errors)
        values = {}
        _, values["description"] = _read(plan, row, "gap", text)
        for key in ("closing_work", "work_owner"):
            if row.has(key):
                _, values[key] = _read(plan, row, key, text)
                values[key] = values[key] or ""
        for key in ("owner_committed", "blocks_production"):
            if row.has(key):
                _, answer = _read(plan, row, key, parse_bool)
                values[key] = bool(answer)
        description = values["description"] or ""
        if not description and len(plan.errors) == before:
            plan.error(
                row.number,
                "gap",
                "A data gap row needs the gap's description.",
                code="required",
                reference=row.reference,
            )
        if row.reference not in refs and len(plan.errors) == before:
            _unknown_reference(plan, row)
        key = (row.reference, normalise(description))
        if len(plan.errors) == before and key in seen:
            plan.error(
                row.number,
                "gap",
                f"The same gap is already on row {seen[key]}.",
                code="duplicate_gap",
                reference=row.reference,
            )
        try:
            DataGap(**values).clean_fields(exclude=["use_case"])
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                plan.error(
                    row.number,
                    "gap" if field_name == "description" else field_name,
                    " ".join(messages),
                    reference=row.reference,
                )
        if len(plan.errors) > before:
            outcome.status = "error"
            continue
        seen[key] = row.number
        use_case = found.use_cases.get(row.reference)
        gap = found.gaps.get((use_case.pk, normalise(description))) if use_case else None
        changes = {}
        if gap is not None:
            changes = {
                k: v for k, v in values.items() if k != "description" and getattr(gap, k) != v
            }
        if (gap is None or changes) and _closed(use_case):
            plan.refuse(
                row.number,
                "gap",
                f"Not changed: the use case is {use_case.state}.",
                code="use_case_closed",
                reference=row.reference,
            )
        elif gap is None:
            outcome.status = "created"
            plan.new_gaps.append(NewGap(row.number, row.reference, values))
        elif changes:
            outcome.status = "changed"
            outcome.changes = {k: [str(getattr(gap, k)), str(v)] for k, v in changes.items()}
            plan.changed_gaps.append((gap, changes))


def plan_details(plan: Plan, rows: list[Row], found, *, progress=None) -> None:
    """Plan the metric, reading and data gap rows of the file."""
    refs = {o.reference for o in plan.outcomes if o.record == USE_CASE} | set(found.use_cases)
    if progress:
        progress("checking metrics and readings", 0, len(rows))
    known = _plan_metrics(plan, rows, found, refs)
    _plan_readings(plan, rows, found, known)
    _plan_gaps(plan, rows, found, refs)
