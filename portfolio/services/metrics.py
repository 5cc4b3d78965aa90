"""Metrics, their readings, and the lock on baselines and targets after G0."""

from datetime import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.errors import ConflictError
from portfolio.choices import TERMINAL_STATES, MetricKind
from portfolio.models import Metric, MetricReading, UseCase
from portfolio.tasks import department_recompute_on_commit, use_case_flags_refresh_on_commit

METRIC_FIELDS = frozenset(
    {"kind", "name", "unit", "direction", "baseline", "target", "cadence", "paired_with"}
)
GOALPOSTS = frozenset({"baseline", "target"})


def _require_manage(actor, use_case: UseCase) -> None:
    if not rules.has_perm("portfolio.manage_use_case", actor, use_case):
        raise PermissionDenied("You may not change this use case's metrics.")
    if use_case.state in TERMINAL_STATES:
        raise ConflictError(f"The use case is {use_case.state}.", code="use_case_closed")


def _validate_pairing(metric: Metric) -> None:
    if metric.kind == MetricKind.BUSINESS:
        if metric.paired_with_id is not None:
            raise ValidationError({"paired_with": ["Only technical metrics are paired."]})
        return
    paired = metric.paired_with
    if paired is None:
        raise ValidationError(
            {"paired_with": ["Name the business metric this technical metric moves."]}
        )
    if paired.use_case_id != metric.use_case_id or paired.kind != MetricKind.BUSINESS:
        raise ValidationError(
            {"paired_with": ["Pair with a business metric of the same use case."]}
        )


def _check_fields(changes: dict) -> None:
    unknown = set(changes) - METRIC_FIELDS
    if unknown:
        raise ValidationError({name: ["Not a metric field."] for name in sorted(unknown)})


@transaction.atomic
def metric_create(*, actor, use_case: UseCase, name: str, unit: str, **fields) -> Metric:
    """Add a business metric, or a technical one paired with the business metric it moves."""
    _require_manage(actor, use_case)
    _check_fields(fields)
    metric = Metric(use_case=use_case, name=name, unit=unit, **fields)
    metric.full_clean(validate_constraints=False)
    _validate_pairing(metric)
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, actor, metric: Metric, **changes) -> Metric:
    """Edit a metric. Once G0 has locked the goalposts, baseline and target stay as they are:
    a change is a re-baselining request that the board approves.
    """
    use_case = metric.use_case
    _require_manage(actor, use_case)
    _check_fields(changes)
    moved = {
        name
        for name in GOALPOSTS & set(changes)
        if _as_decimal(changes[name]) != getattr(metric, name)
    }
    if use_case.metrics_locked_at and moved:
        raise ConflictError(
            "Baselines and targets are locked since G0; request a re-baselining instead.",
            code="metric_locked",
            extra={"locked_at": use_case.metrics_locked_at.isoformat()},
        )
    for name, value in changes.items():
        setattr(metric, name, value)
    metric.full_clean(validate_constraints=False)
    _validate_pairing(metric)
    metric.save()
    return metric


def _as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def metric_delete(*, actor, metric: Metric) -> None:
    """Remove a metric while the goalposts are not locked and it has no readings."""
    _require_manage(actor, metric.use_case)
    if metric.use_case.metrics_locked_at or metric.readings.exists():
        raise ConflictError(
            "A metric with readings, or locked since G0, stays on the record.",
            code="metric_locked",
        )
    if metric.paired_technical_metrics.exists():
        raise ConflictError(
            "Technical metrics are paired with this metric; re-pair them first.",
            code="metric_paired",
        )
    metric.delete()


@transaction.atomic
def metrics_lock(*, use_case: UseCase, at: datetime | None = None) -> UseCase:
    """Lock the goalposts (called by the G0 decision that moves the use case into pilot)."""
    if use_case.metrics_locked_at is None:
        use_case.metrics_locked_at = at or timezone.now()
        UseCase.objects.filter(pk=use_case.pk).update(metrics_locked_at=use_case.metrics_locked_at)
    return use_case


@transaction.atomic
def metric_rebaseline(*, metric: Metric, baseline, target, approval) -> Metric:
    """Apply a re-baselining the board approved; ``approval`` keeps both values on record."""
    if getattr(approval, "pk", None) is None or approval.metric_id != metric.pk:
        raise ConflictError("A re-baselining needs the approved request for this metric.")
    metric.baseline, metric.target = baseline, target
    metric.full_clean(validate_constraints=False)
    metric.save(update_fields=["baseline", "target"])
    return metric


@transaction.atomic
def reading_add(
    *, actor, metric: Metric, value, measured_at: datetime | None = None, note: str = ""
) -> MetricReading:
    """Record a measured value; readings are evidence and are never in the future."""
    _require_manage(actor, metric.use_case)
    measured_at = measured_at or timezone.now()
    if measured_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"measured_at": ["A reading cannot be in the future."]})
    reading = MetricReading(
        metric=metric, value=value, measured_at=measured_at, recorded_by=actor, note=note
    )
    reading.full_clean()
    reading.save()
    department_recompute_on_commit(department_id=metric.use_case.department_id)
    use_case_flags_refresh_on_commit(use_case_id=metric.use_case_id)
    return reading
