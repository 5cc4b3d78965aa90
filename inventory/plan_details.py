"""The dry run of metric, reading and data gap rows, each naming its use case by reference."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from inventory.cells import (
    parse_choice,
    parse_decimal,
    text,
)
from inventory.plan import Outcome, Plan, Row, is_closed, read_cell, unknown_reference
from inventory.plan_readings import plan_gaps, plan_readings
from inventory.template import METRIC, USE_CASE
from portfolio.choices import Cadence, Direction, MetricKind
from portfolio.models import Metric

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


def _metric_values(plan: Plan, row: Row) -> tuple[bool, dict]:
    values, ok = {}, True
    for key in ("metric_kind", "direction", "cadence"):
        choices, extra = METRIC_CHOICES[key]
        good, value = read_cell(
            plan, row, key, lambda v, c=choices, e=extra: parse_choice(v, c, extra=e)
        )
        ok &= good
        if row.has(key):
            values[TO_FIELD.get(key, key)] = value or METRIC_DEFAULTS[key]
    for key in ("baseline", "target"):
        good, value = read_cell(plan, row, key, parse_decimal)
        ok &= good
        if row.has(key):
            values[key] = value
    for key in ("unit", "paired_with"):
        good, value = read_cell(plan, row, key, text)
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
        ok, name = read_cell(plan, row, "metric", text)
        valid, values = _metric_values(plan, row)
        if ok and not name:
            plan.error(
                row.number,
                "metric",
                _("A metric row needs the metric's name."),
                code="required",
                reference=row.reference,
            )
        elif ok and (row.reference, name.casefold()) in seen:
            plan.error(
                row.number,
                "metric",
                _("Metric '%(name)s' of '%(reference)s' is already on row %(row)s.")
                % {
                    "name": name,
                    "reference": row.reference,
                    "row": seen[row.reference, name.casefold()],
                },
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
            unknown_reference(plan, row)
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
                _("Only technical metrics are paired."),
                reference=row.reference,
            )
            return False
        return True
    if not paired:
        plan.error(
            row.number,
            "paired_with",
            _("Name the business metric this technical metric moves (metric pairing)."),
            code="unpaired",
            reference=row.reference,
        )
        return False
    if known.get((row.reference, paired.casefold())) != MetricKind.BUSINESS:
        plan.error(
            row.number,
            "paired_with",
            _("'%(paired)s' is not a business metric of '%(reference)s'.")
            % {"paired": paired, "reference": row.reference},
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
                _("A new metric needs its unit."),
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
        elif is_closed(use_case):
            plan.refuse(
                row.number,
                "metric",
                _("Not added: the use case is %(state)s.") % {"state": use_case.state},
                code="use_case_closed",
                reference=row.reference,
            )
        elif use_case and use_case.metrics_locked_at and fields["kind"] == MetricKind.BUSINESS:
            plan.refuse(
                row.number,
                "metric",
                _(
                    "Not added: business metrics are locked since G0 "
                    "(%(metrics_locked_at)s); adding one is a re-baselining request to the "
                    "board."
                )
                % {"metrics_locked_at": format(use_case.metrics_locked_at, "%Y-%m-%d")},
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
            _("Not changed: a metric keeps its kind."),
            code="metric_kind_fixed",
            reference=row.reference,
        )
        del changes["kind"]
    locked = metric.kind == MetricKind.BUSINESS and use_case.metrics_locked_at
    for field_name in sorted(changes):
        if is_closed(use_case) or (locked and field_name in GOALPOSTS):
            refusal = (
                _("%(field)s not changed: the use case is %(state)s.")
                if is_closed(use_case)
                else _(
                    "%(field)s not changed: the goalposts are locked since G0 (%(locked)s); ask "
                    "the board for a re-baselining."
                )
            )
            plan.refuse(
                row.number,
                field_name,
                refusal
                % {
                    "field": field_name.capitalize(),
                    "state": use_case.state,
                    "locked": format(use_case.metrics_locked_at, "%Y-%m-%d") if locked else "",
                },
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


def plan_details(plan: Plan, rows: list[Row], found, *, progress=None) -> None:
    """Plan the metric, reading and data gap rows of the file."""
    refs = {o.reference for o in plan.outcomes if o.record == USE_CASE} | set(found.use_cases)
    if progress:
        progress("checking metrics and readings", 0, len(rows))
    known = _plan_metrics(plan, rows, found, refs)
    plan_readings(plan, rows, found, known)
    plan_gaps(plan, rows, found, refs)
