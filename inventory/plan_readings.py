"""The dry run of reading and data gap rows."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.cells import aware, parse_bool, parse_date, parse_decimal, text
from inventory.plan import Outcome, Plan, Row, is_closed, read_cell, unknown_reference
from inventory.plan_kpis import UNDATED
from inventory.plan_moves import earliest
from inventory.template import DATA_GAP, READING, normalise
from portfolio.models import DataGap, MetricReading


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


def _moment(plan: Plan, row: Row):
    ok, value = read_cell(
        plan, row, "measured", lambda v: parse_date(v, month_first=plan.month_first("measured"))
    )
    if not ok:
        return None
    if value is None:
        plan.error(
            row.number,
            "measured",
            _("A reading needs the date it was measured."),
            code="required",
            reference=row.reference,
        )
        return None
    at = aware(value, settings.TIME_ZONE)
    if at.date() < earliest():
        plan.error(
            row.number,
            "measured",
            _("%(at)s is before %(earliest)s, the earliest plausible date.")
            % {"at": format(at, "%Y-%m-%d"), "earliest": format(earliest(), "%Y-%m-%d")},
            code="implausible_date",
            reference=row.reference,
        )
        return None
    if at > timezone.now():
        plan.error(
            row.number,
            "measured",
            _("%(at)s is in the future: a reading is measured, not planned.")
            % {"at": format(at, "%Y-%m-%d")},
            code="future_reading",
            reference=row.reference,
        )
        return None
    return at


def _check_reading(plan: Plan, row: Row, value, note: str) -> None:
    """The model's own limits (digits, note length), as row errors rather than a crash."""
    try:
        MetricReading(value=value if value is not None else 0, note=note).clean_fields(
            exclude=["metric", "measured_at", "recorded_by"]
        )
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            plan.error(row.number, field_name, " ".join(messages), reference=row.reference)


def plan_readings(plan: Plan, rows: list[Row], found, known: dict) -> None:
    """Plan the reading rows: new, the same as on record, or refused (never edited)."""
    seen = {}
    for row in (r for r in rows if r.record == READING):
        outcome = Outcome(row.number, READING, row.reference, label=str(row.get("metric") or ""))
        plan.outcomes.append(outcome)
        before = len(plan.errors)
        _unused, name = read_cell(plan, row, "metric", text)
        _unused, value = read_cell(plan, row, "value", parse_decimal)
        _unused, note = read_cell(plan, row, "note", text)
        at = _moment(plan, row)
        if value is not None or note:
            _check_reading(plan, row, value, note or "")
        if value is None and len(plan.errors) == before:
            plan.error(
                row.number,
                "value",
                _("A reading needs its value."),
                code="required",
                reference=row.reference,
            )
        if name is not None and (row.reference, (name or "").casefold()) not in known:
            plan.error(
                row.number,
                "metric",
                _("No metric '%(name)s' of '%(reference)s' in the file or in Flywheel.")
                % {"name": name, "reference": row.reference},
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
                _("The same reading is already on row %(row)s.") % {"row": seen[key]},
                code="duplicate_reading",
                reference=row.reference,
            )
            outcome.status = "error"
            continue
        seen[key] = row.number
        use_case = found.use_cases.get(row.reference)
        metric = found.metrics.get((use_case.pk, name.casefold())) if use_case else None
        existing = found.readings.get((metric.pk, at.replace(microsecond=0))) if metric else None
        latest = found.latest.get(metric.pk) if metric and row.get(UNDATED) else None
        if latest is not None and latest.value == value:
            continue  # the register's latest value, already the metric's latest reading
        if existing is not None:
            if existing.value != value:
                plan.refuse(
                    row.number,
                    "value",
                    _(
                        "A reading of %(value)s on %(at)s is on the record; readings are never "
                        "edited (add a correcting reading with a note)."
                    )
                    % {"value": existing.value, "at": format(at, "%Y-%m-%d")},
                    code="reading_kept",
                    reference=row.reference,
                )
        elif is_closed(use_case):
            plan.refuse(
                row.number,
                "value",
                _("Not added: the use case is %(state)s.") % {"state": use_case.state},
                code="use_case_closed",
                reference=row.reference,
            )
        else:
            outcome.status = "created"
            plan.new_readings.append(
                NewReading(row.number, row.reference, name.casefold(), value, at, note or "")
            )


def plan_gaps(plan: Plan, rows: list[Row], found, refs: set[str]) -> None:
    """Plan the data gap rows, matched on (reference, description)."""
    seen = {}
    for row in (r for r in rows if r.record == DATA_GAP):
        outcome = Outcome(row.number, DATA_GAP, row.reference, label=str(row.get("gap") or ""))
        plan.outcomes.append(outcome)
        before = len(plan.errors)
        values = {}
        _unused, values["description"] = read_cell(plan, row, "gap", text)
        for key in ("closing_work", "work_owner"):
            if row.has(key):
                _unused, values[key] = read_cell(plan, row, key, text)
                values[key] = values[key] or ""
        for key in ("owner_committed", "blocks_production"):
            if row.has(key):
                _, answer = read_cell(plan, row, key, parse_bool)
                values[key] = bool(answer)
        description = values["description"] or ""
        if not description and len(plan.errors) == before:
            plan.error(
                row.number,
                "gap",
                _("A data gap row needs the gap's description."),
                code="required",
                reference=row.reference,
            )
        if row.reference not in refs and len(plan.errors) == before:
            unknown_reference(plan, row)
        key = (row.reference, normalise(description))
        if len(plan.errors) == before and key in seen:
            plan.error(
                row.number,
                "gap",
                _("The same gap is already on row %(row)s.") % {"row": seen[key]},
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
        if (gap is None or changes) and is_closed(use_case):
            plan.refuse(
                row.number,
                "gap",
                _("Not changed: the use case is %(state)s.") % {"state": use_case.state},
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
