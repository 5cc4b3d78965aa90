"""Re-baselining requests and the board's decisions on them.

From G0 on, a use case's business metrics change only this way: a department head asks
(move one metric's goalposts, add a business metric with its goalposts, or retire one), the
board's chair approves or rejects, and an approval is applied in the same transaction.
"""

from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ConcurrentChange, ConflictError
from governance.choices import RebaselineKind, RebaselineOutcome
from governance.models import (
    RebaselineDecision,
    RebaselinePending,
    RebaselineRequest,
)
from governance.services.common import board_of, now
from portfolio import services as portfolio_services
from portfolio.choices import Cadence, Direction
from portfolio.models import Metric, UseCase

# The goalposts a request may move besides baseline and target (blank: unchanged).
TEXT_GOALPOSTS = ("name", "unit", "direction", "cadence")
ALL_GOALPOSTS = ("baseline", "target", *TEXT_GOALPOSTS)


@transaction.atomic
def rebaseline_request(
    *,
    actor,
    reason: str,
    kind: str = RebaselineKind.CHANGE,
    metric: Metric | None = None,
    use_case: UseCase | None = None,
    baseline=None,
    target=None,
    name: str = "",
    unit: str = "",
    direction: str = "",
    cadence: str = "",
    at: datetime | None = None,
) -> RebaselineRequest:
    """Ask the board about a locked use case's business metrics: move a metric's goalposts
    (``change``: baseline, target, name, unit, direction, cadence), add a business metric
    (``add``: ``use_case`` with the new metric's goalposts) or retire one (``retire``).
    The old and the new values stay on the request.

    One request waits per metric, and one request to add per use case and metric name: a
    second one is refused (409) until the board decides.
    """
    goalposts = {
        "baseline": baseline,
        "target": target,
        "name": (name or "").strip(),
        "unit": (unit or "").strip(),
        "direction": direction,
        "cadence": cadence,
    }
    if kind not in RebaselineKind.values:
        raise ValidationError(
            {"kind": [_("One of: %(values)s.") % {"values": ", ".join(RebaselineKind.values)}]}
        )
    if kind == RebaselineKind.ADD:
        if metric is not None:
            raise ValidationError(
                {"metric": [_("A metric to add has no id yet: name the use case.")]}
            )
        if use_case is None:
            raise ValidationError({"use_case": [_("Name the use case the metric is added to.")]})
        use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    else:
        if metric is None:
            raise ValidationError({"metric": [_("Name the metric.")]})
        # As stored now, not as the caller's copy remembers it (the lock may be newer).
        metric = Metric.objects.select_related("use_case").select_for_update().get(pk=metric.pk)
        if use_case is not None and use_case.pk != metric.use_case_id:
            raise ValidationError({"use_case": [_("The metric belongs to another use case.")]})
        use_case = metric.use_case
    _check_may_ask(actor, use_case, reason)
    request = RebaselineRequest(
        kind=kind,
        use_case=use_case,
        metric=metric,
        reason=reason,
        requested_by=actor,
        requested_at=now(at),
    )
    if kind == RebaselineKind.ADD:
        _propose_new_metric(request, goalposts)
    elif kind == RebaselineKind.RETIRE:
        portfolio_services.metric_retire_check(metric=metric)
        _record_old(request, metric)
    else:
        _propose_moves(request, metric, goalposts)
    _refuse_pending(request)
    request.save()
    pending = RebaselinePending(request=request, metric=metric)
    if kind == RebaselineKind.ADD:
        pending.use_case, pending.metric_name = use_case, request.new_name
    try:
        with transaction.atomic():
            pending.save()
    except IntegrityError as exc:
        raise _pending_conflict(request) from exc
    return request


def _check_may_ask(actor, use_case: UseCase, reason: str) -> None:
    if not rules.has_perm("portfolio.manage_use_case", actor, use_case):
        raise PermissionDenied(_("Only the use case's department head asks to re-baseline."))
    if use_case.metrics_locked_at is None:
        raise ConflictError(
            _("The goalposts are not locked yet: edit the metrics directly."), code="not_locked"
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the goalposts should move.")]})


def _record_old(request: RebaselineRequest, metric: Metric) -> None:
    for field in ALL_GOALPOSTS:
        setattr(request, f"old_{field}", getattr(metric, field))


def _propose_moves(request: RebaselineRequest, metric: Metric, goalposts: dict) -> None:
    portfolio_services.metric_require_active(metric=metric)
    _record_old(request, metric)
    request.new_baseline = (
        metric.baseline if goalposts["baseline"] is None else goalposts["baseline"]
    )
    request.new_target = metric.target if goalposts["target"] is None else goalposts["target"]
    for field in TEXT_GOALPOSTS:
        setattr(request, f"new_{field}", goalposts[field] or getattr(metric, field))
    request.full_clean(exclude=["use_case", "metric", "requested_by"])
    if not _moves(request):
        raise ValidationError({"non_field_errors": [_("The request moves no goalpost.")]})
    if request.new_name != metric.name and _name_taken(metric.use_case_id, request.new_name):
        raise ValidationError({"name": [_("Another metric of this use case has that name.")]})


def _propose_new_metric(request: RebaselineRequest, goalposts: dict) -> None:
    missing = [
        field for field in ("name", "unit", "baseline", "target") if goalposts[field] in ("", None)
    ]
    if missing:
        raise ValidationError({field: ["A new business metric needs it."] for field in missing})
    for field in ALL_GOALPOSTS:
        setattr(request, f"new_{field}", goalposts[field])
    request.new_direction = goalposts["direction"] or Direction.HIGHER
    request.new_cadence = goalposts["cadence"] or Cadence.MONTHLY
    request.full_clean(exclude=["use_case", "metric", "requested_by"])
    if _name_taken(request.use_case_id, request.new_name):
        raise ValidationError({"name": [_("Another metric of this use case has that name.")]})


def _name_taken(use_case_id: int, name: str) -> Metric | None:
    """The metric of the use case (retired ones too) that has the name, if any."""
    return Metric.objects.filter(use_case_id=use_case_id, name__iexact=name).first()


def _moves(request: RebaselineRequest) -> dict:
    """The goalposts the request changes, as {field: new value}."""
    return {
        field: getattr(request, f"new_{field}")
        for field in ALL_GOALPOSTS
        if getattr(request, f"new_{field}") not in ("", None)
        and getattr(request, f"new_{field}") != getattr(request, f"old_{field}")
    }


def _stale(request: RebaselineRequest, metric: Metric) -> bool:
    """True when the metric no longer has the old values the request recorded (a text
    goalpost left blank on an older request is not compared)."""
    if (metric.baseline, metric.target) != (request.old_baseline, request.old_target):
        return True
    return any(
        getattr(request, f"old_{field}") not in ("", getattr(metric, field))
        for field in TEXT_GOALPOSTS
    )


def _pending_of(request: RebaselineRequest):
    if request.kind == RebaselineKind.ADD:
        return RebaselinePending.objects.filter(
            metric__isnull=True,
            use_case_id=request.use_case_id,
            metric_name__iexact=request.new_name,
        )
    return RebaselinePending.objects.filter(metric_id=request.metric_id)


def _refuse_pending(request: RebaselineRequest) -> None:
    if _pending_of(request).exists():
        raise _pending_conflict(request)


def _pending_conflict(request: RebaselineRequest) -> ConflictError:
    pending = _pending_of(request).values_list("request_id", flat=True)
    message = (
        _(
            "A re-baselining request is already waiting for the board on adding a metric named "
            "%(name)s to this use case."
        )
        % {"name": repr(request.new_name)}
        if request.kind == RebaselineKind.ADD
        else _("A re-baselining request is already waiting for the board on this metric.")
    )
    return ConflictError(
        message,
        code="rebaseline_pending",
        extra={"pending_request": next(iter(pending), None)},
    )


@transaction.atomic
def rebaseline_decide(
    *,
    request: RebaselineRequest,
    actor,
    approve: bool,
    comment: str = "",
    at: datetime | None = None,
) -> RebaselineDecision:
    """The board's chair approves (and applies) or rejects a re-baselining request.

    Approving applies the request only if what it was made against still holds: the metric
    still has the old values the request recorded (a change, a retirement), no metric of the
    use case has taken the name meanwhile (an addition). Otherwise the request is stale and
    refused (409); a stale request can still be rejected, which takes it out of the queue.
    Applying and deciding are one transaction: the decision is recorded only if applied.
    """
    request = RebaselineRequest.objects.select_related("use_case").get(pk=request.pk)
    use_case = UseCase.objects.select_for_update().get(pk=request.use_case_id)
    metric = None
    if request.metric_id is not None:
        metric = Metric.objects.select_for_update().get(pk=request.metric_id)
    if not rules.has_perm("governance.decide_rebaseline", actor, use_case):
        raise PermissionDenied(_("Only the board's chair decides a re-baselining."))
    request = RebaselineRequest.objects.select_for_update().get(pk=request.pk)
    if RebaselineDecision.objects.filter(request=request).exists():
        raise ConflictError(_("The request is already decided."), code="rebaseline_decided")
    moment = now(at)
    created = _apply(request, use_case, metric, actor, moment) if approve else None
    try:
        with transaction.atomic():
            decision = RebaselineDecision.objects.create(
                request=request,
                board=board_of(use_case),
                outcome=RebaselineOutcome.APPROVED if approve else RebaselineOutcome.REJECTED,
                comment=comment,
                decided_by=actor,
                decided_at=moment,
                created_metric=created,
            )
    except IntegrityError as exc:
        raise ConcurrentChange() from exc
    RebaselinePending.objects.filter(request=request).delete()
    return decision


def _apply(request, use_case, metric, actor, moment) -> Metric | None:
    """Apply an approved request through the portfolio's services; the metric created by an
    addition, else None. A stale request is refused (409) before anything changes."""
    if request.kind == RebaselineKind.ADD:
        taken = _name_taken(use_case.pk, request.new_name)
        if taken is not None:
            raise _stale_conflict(
                "A metric of this use case has taken that name since the request was made; "
                "it can only be rejected.",
                name=request.new_name,
                metric_now=taken.pk,
            )
        try:
            with transaction.atomic():
                return portfolio_services.metric_add_approved(
                    use_case=use_case,
                    approval=request,
                    actor=actor,
                    **{field: getattr(request, f"new_{field}") for field in ALL_GOALPOSTS},
                )
        except IntegrityError as exc:
            raise _stale_conflict(
                "A metric of this use case took that name at the same moment.",
                name=request.new_name,
            ) from exc
    if _stale(request, metric):
        raise _stale_conflict(
            "The metric's goalposts changed since this request was made; it can only be rejected.",
            request_old=[_text(request.old_baseline), _text(request.old_target)],
            metric_now=[_text(metric.baseline), _text(metric.target)],
        )
    if request.kind == RebaselineKind.RETIRE:
        portfolio_services.metric_retire(metric=metric, approval=request, actor=actor, at=moment)
    else:
        portfolio_services.metric_rebaseline(
            metric=metric, approval=request, actor=actor, **_moves(request)
        )
    return None


def _stale_conflict(message: str, **extra) -> ConflictError:
    return ConflictError(message, code="rebaseline_stale", extra=extra)


def _text(value) -> str | None:
    return None if value is None else str(value)
