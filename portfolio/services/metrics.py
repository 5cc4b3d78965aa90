"""Metrics, their readings, and the lock on baselines and targets after G0."""

from datetime import datetime, timedelta
from decimal import Decimal

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from portfolio.choices import TERMINAL_STATES, MetricKind
from portfolio.models import Metric, MetricReading, UseCase
from portfolio.tasks import scopes_refresh_on_commit

METRIC_FIELDS = frozenset(
    {"kind", "name", "unit", "direction", "baseline", "target", "cadence", "paired_with"}
)
# What G0 locks on a business metric: changing any of these is a re-baselining request.
GOALPOSTS = frozenset({"kind", "name", "unit", "direction", "baseline", "target", "cadence"})


def _locked_conflict(use_case: UseCase, message: str, **extra) -> ConflictError:
    return ConflictError(
        message,
        code="metric_locked",
        extra={"locked_at": use_case.metrics_locked_at.isoformat(), **extra},
    )


def _require_manage(actor, use_case: UseCase) -> None:
    if not rules.has_perm("portfolio.manage_use_case", actor, use_case):
        raise PermissionDenied(_("You may not change this use case's metrics."))
    if use_case.state in TERMINAL_STATES:
        raise ConflictError(
            _("The use case is %(state)s.") % {"state": use_case.state}, code="use_case_closed"
        )


def metric_require_active(*, metric: Metric) -> None:
    """Refuse a retired metric (as stored now, not as the caller's copy remembers it)."""
    retired_at = Metric.objects.filter(pk=metric.pk).values_list("retired_at", flat=True).first()
    if retired_at is not None:
        raise ConflictError(
            _(
                "The metric was retired by a re-baselining the board approved; its "
                "readings stay on the record, and it takes no changes or new readings."
            ),
            code="metric_retired",
            extra={"retired_at": retired_at.isoformat()},
        )


def _validate_pairing(metric: Metric) -> None:
    if metric.kind == MetricKind.BUSINESS:
        if metric.paired_with_id is not None:
            raise ValidationError({"paired_with": [_("Only technical metrics are paired.")]})
        return
    paired = metric.paired_with
    if paired is None:
        raise ValidationError(
            {"paired_with": [_("Name the business metric this technical metric moves.")]}
        )
    if (
        paired.use_case_id != metric.use_case_id
        or paired.kind != MetricKind.BUSINESS
        or paired.retired_at is not None
    ):
        raise ValidationError(
            {"paired_with": [_("Pair with an active business metric of the same use case.")]}
        )


def _check_fields(changes: dict) -> None:
    unknown = set(changes) - METRIC_FIELDS
    if unknown:
        raise ValidationError({name: [_("Not a metric field.")] for name in sorted(unknown)})


@transaction.atomic
def metric_create(*, actor, use_case: UseCase, name: str, unit: str, **fields) -> Metric:
    """Add a business metric, or a technical one paired with the business metric it moves.

    From G0 on the set of business metrics is locked: adding one is a re-baselining matter.
    """
    _require_manage(actor, use_case)
    _check_fields(fields)
    use_case = UseCase.objects.get(pk=use_case.pk)
    if use_case.metrics_locked_at and fields.get("kind", MetricKind.BUSINESS) == (
        MetricKind.BUSINESS
    ):
        raise _locked_conflict(
            use_case,
            "The business metrics are locked since G0; adding one is a re-baselining request "
            "the board approves (POST /api/rebaseline-requests/ with kind 'add').",
            way="rebaseline_request",
        )
    metric = Metric(use_case=use_case, name=name, unit=unit, **fields)
    metric.full_clean(validate_constraints=False)
    _validate_pairing(metric)
    metric._history_user = actor
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, actor, metric: Metric, **changes) -> Metric:
    """Edit a metric. Once G0 has locked the goalposts, a business metric's name, unit,
    direction, baseline, target and cadence stay as they are (and no metric becomes a business
    one): a change is a re-baselining request that the board approves.
    """
    metric = Metric.objects.select_related("use_case").get(pk=metric.pk)
    use_case = metric.use_case
    _require_manage(actor, use_case)
    metric_require_active(metric=metric)
    _check_fields(changes)
    moved = sorted(
        name for name in GOALPOSTS & set(changes) if _differs(getattr(metric, name), changes[name])
    )
    turns_business = changes.get("kind", metric.kind) == MetricKind.BUSINESS
    if use_case.metrics_locked_at and moved and (metric.is_business or turns_business):
        raise _locked_conflict(
            use_case,
            "The goalposts are locked since G0; request a re-baselining instead.",
            fields=moved,
        )
    for name, value in changes.items():
        setattr(metric, name, value)
    metric.full_clean(validate_constraints=False)
    _validate_pairing(metric)
    metric._history_user = actor
    metric.save()
    return metric


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or (current is None and new is not None):
        try:
            return current != (None if new is None else Decimal(str(new)))
        except ArithmeticError:
            return True
    return current != new


@transaction.atomic
def metric_delete(*, actor, metric: Metric) -> None:
    """Remove a metric while the goalposts are not locked and it has no readings."""
    _require_manage(actor, metric.use_case)
    if metric.use_case.metrics_locked_at or metric.readings.exists():
        raise ConflictError(
            _(
                "A metric with readings, or locked since G0, stays on the record; a "
                "business metric is retired after G0 by a re-baselining request the "
                "board approves (POST /api/rebaseline-requests/ with kind 'retire')."
            ),
            code="metric_locked",
            extra={"way": "rebaseline_request"},
        )
    if metric.paired_technical_metrics.exists():
        raise ConflictError(
            _("Technical metrics are paired with this metric; re-pair them first."),
            code="metric_paired",
        )
    metric._history_user = actor
    metric.delete()


@transaction.atomic
def metrics_lock(*, use_case: UseCase, at: datetime | None = None, actor=None) -> UseCase:
    """Lock the goalposts (called by the G0 decision that moves the use case into pilot)."""
    if use_case.metrics_locked_at is None:
        use_case.metrics_locked_at = at or timezone.now()
        UseCase.objects.filter(pk=use_case.pk).noting(
            user=actor, reason="G0 passed: goalposts locked"
        ).update(metrics_locked_at=use_case.metrics_locked_at)
    return use_case


@transaction.atomic
def metric_rebaseline(*, metric: Metric, approval, actor=None, **goalposts) -> Metric:
    """Apply a re-baselining the board approved (baseline, target, name, unit, direction,
    cadence); ``approval`` keeps both values on record, and the metric's history names the
    approval as the reason."""
    if getattr(approval, "pk", None) is None or approval.metric_id != metric.pk:
        raise ConflictError(_("A re-baselining needs the approved request for this metric."))
    metric_require_active(metric=metric)
    unknown = set(goalposts) - (GOALPOSTS - {"kind"})
    if unknown:
        raise ValidationError({name: [_("Not a goalpost.")] for name in sorted(unknown)})
    for name, value in goalposts.items():
        setattr(metric, name, value)
    metric.full_clean(validate_constraints=False)
    metric._history_user = actor
    metric._change_reason = _approved_reason(approval)
    metric.save()
    return metric


def _approved_for(approval, kind: str, use_case_id: int) -> None:
    if (
        getattr(approval, "pk", None) is None
        or getattr(approval, "kind", None) != kind
        or (approval.use_case_id or approval.metric.use_case_id) != use_case_id
    ):
        raise ConflictError(
            _("A metric is added after G0 only by the approved request.")
            if kind == "add"
            else _("A metric is retired after G0 only by the approved request.")
        )


@transaction.atomic
def metric_add_approved(
    *, use_case: UseCase, approval, actor=None, name: str, unit: str, **goalposts
) -> Metric:
    """Add the business metric an approved re-baselining request proposed (after G0 the only
    way in); its history names the approval as the reason."""
    use_case = UseCase.objects.get(pk=use_case.pk)
    _approved_for(approval, "add", use_case.pk)
    if use_case.state in TERMINAL_STATES:
        raise ConflictError(
            _("The use case is %(state)s.") % {"state": use_case.state}, code="use_case_closed"
        )
    unknown = set(goalposts) - (GOALPOSTS - {"kind", "name", "unit"})
    if unknown:
        raise ValidationError({field: [_("Not a goalpost.")] for field in sorted(unknown)})
    metric = Metric(use_case=use_case, kind=MetricKind.BUSINESS, name=name, unit=unit, **goalposts)
    metric.full_clean(validate_constraints=False)
    if metric.baseline is None or metric.target is None:
        raise ValidationError({"target": [_("A business metric needs a baseline and a target.")]})
    metric._history_user = actor
    metric._change_reason = _approved_reason(approval)
    metric.save()
    return metric


def metric_retire_check(*, metric: Metric) -> None:
    """Why a business metric cannot be retired now (409), or nothing: it is active, no
    active technical metric is paired with it, and another business metric stays."""
    metric_require_active(metric=metric)
    if not metric.is_business:
        raise ValidationError(
            {"metric": [_("Only a business metric is retired by re-baselining.")]}
        )
    if metric.paired_technical_metrics.filter(retired_at__isnull=True).exists():
        raise ConflictError(
            _("Technical metrics are paired with this metric; re-pair them first."),
            code="metric_paired",
        )
    others = Metric.objects.active().filter(use_case_id=metric.use_case_id, kind=metric.kind)
    if not others.exclude(pk=metric.pk).exists():
        raise ConflictError(
            _("The use case keeps at least one business metric; add its successor first."),
            code="last_business_metric",
        )


@transaction.atomic
def metric_retire(*, metric: Metric, approval, actor=None, at: datetime | None = None) -> Metric:
    """Retire a business metric as an approved re-baselining request asks: it is kept with
    its readings (evidence) and stops counting from ``at`` on (gate evaluation, flags, due
    readings); frozen review snapshots keep what they saw."""
    metric = Metric.objects.select_for_update().get(pk=metric.pk)
    if getattr(approval, "pk", None) is None or approval.metric_id != metric.pk:
        raise ConflictError(_("A metric is retired after G0 only by the approved request."))
    _approved_for(approval, "retire", metric.use_case_id)
    metric_retire_check(metric=metric)
    metric.retired_at = at or timezone.now()
    metric._history_user = actor
    metric._change_reason = _approved_reason(approval)
    metric.save()
    scopes_refresh_on_commit(
        department_id=metric.use_case.department_id, use_case_id=metric.use_case_id
    )
    return metric


def _approved_reason(approval) -> str:
    return f"re-baselining request {approval.pk} approved: {approval.reason}"[:100]


# A reading a few minutes ahead of the server's clock is a clock skew, not the future.
CLOCK_SKEW = timedelta(minutes=5)


def _check_measured_at(measured_at: datetime) -> None:
    """Plausible dates only: not in the future, not before the configured earliest date."""
    earliest = settings.FLYWHEEL_EARLIEST_DATE
    if measured_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"measured_at": [_("A reading cannot be in the future.")]})
    if measured_at.date() < earliest:
        raise ValidationError(
            {
                "measured_at": [
                    _("A reading cannot be dated before %(earliest)s.")
                    % {"earliest": earliest.isoformat()}
                ]
            }
        )


@transaction.atomic
def reading_add(
    *, actor, metric: Metric, value, measured_at: datetime | None = None, note: str = ""
) -> MetricReading:
    """Record a measured value; readings are evidence, plausibly dated, and never edited."""
    _require_manage(actor, metric.use_case)
    metric_require_active(metric=metric)
    measured_at = measured_at or timezone.now()
    _check_measured_at(measured_at)
    reading = MetricReading(
        metric=metric, value=value, measured_at=measured_at, recorded_by=actor, note=note
    )
    reading.full_clean()
    reading.save()
    scopes_refresh_on_commit(
        department_id=metric.use_case.department_id, use_case_id=metric.use_case_id
    )
    return reading


@transaction.atomic
def reading_correct(
    *,
    actor,
    reading: MetricReading,
    value,
    reason: str,
    measured_at: datetime | None = None,
) -> MetricReading:
    """Correct a reading by a new one that supersedes it; both stay on the record.

    Only the current reading of its chain can be corrected (a second correction of the same
    reading is a conflict: correct the correction). Frozen review snapshots keep what they saw.
    """
    reading = MetricReading.objects.select_related("metric__use_case").get(pk=reading.pk)
    _require_manage(actor, reading.metric.use_case)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the reading is corrected.")]})
    # Lock the corrected row so that two corrections of it queue; the second finds it taken.
    MetricReading.objects.select_for_update().filter(pk=reading.pk).exists()
    newer = MetricReading.objects.filter(supersedes=reading).first()
    if newer is not None:
        raise ConflictError(
            _("This reading was already corrected; correct the latest correction instead."),
            code="reading_superseded",
            extra={"superseded_by": newer.pk},
        )
    measured_at = measured_at or reading.measured_at
    _check_measured_at(measured_at)
    correction = MetricReading(
        metric=reading.metric,
        value=value,
        measured_at=measured_at,
        recorded_by=actor,
        note=reading.note,
        supersedes=reading,
        correction_reason=reason.strip(),
    )
    correction.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("This reading was corrected at the same moment by someone else."),
            code="reading_superseded",
        ) from exc
    scopes_refresh_on_commit(
        department_id=reading.metric.use_case.department_id,
        use_case_id=reading.metric.use_case_id,
    )
    return correction
