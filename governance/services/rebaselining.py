"""Re-baselining requests and the board's decisions on them."""

from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.errors import ConcurrentChange, ConflictError
from governance.choices import RebaselineOutcome
from governance.models import (
    RebaselineDecision,
    RebaselinePending,
    RebaselineRequest,
)
from governance.services.common import board_of, now
from portfolio import services as portfolio_services
from portfolio.models import Metric


@transaction.atomic
def rebaseline_request(
    *,
    metric: Metric,
    actor,
    baseline,
    target,
    reason: str,
    at: datetime | None = None,
) -> RebaselineRequest:
    """Ask the board to move a locked metric's baseline and target; both values stay."""
    use_case = metric.use_case
    if not rules.has_perm("portfolio.manage_use_case", actor, use_case):
        raise PermissionDenied("Only the use case's department head asks to re-baseline.")
    if use_case.metrics_locked_at is None:
        raise ConflictError(
            "The goalposts are not locked yet: edit the metric directly.", code="not_locked"
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": ["Say why the goalposts should move."]})
    # The metric row as it stands now: the old values on the request are the current ones.
    metric = Metric.objects.select_for_update().get(pk=metric.pk)
    request = RebaselineRequest(
        metric=metric,
        old_baseline=metric.baseline,
        old_target=metric.target,
        new_baseline=baseline,
        new_target=target,
        reason=reason,
        requested_by=actor,
        requested_at=now(at),
    )
    request.full_clean()
    if RebaselinePending.objects.filter(metric=metric).exists():
        raise _pending_conflict(metric)
    request.save()
    try:
        with transaction.atomic():
            RebaselinePending.objects.create(metric=metric, request=request)
    except IntegrityError as exc:
        raise _pending_conflict(metric) from exc
    return request


def _pending_conflict(metric: Metric) -> ConflictError:
    pending = RebaselinePending.objects.filter(metric=metric).values_list("request_id", flat=True)
    return ConflictError(
        "A re-baselining request is already waiting for the board on this metric.",
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

    Approving applies the request's new values only if the metric still has the old values
    the request recorded; otherwise the request is stale and refused (409). A stale request
    can still be rejected, which takes it out of the queue.
    """
    metric = Metric.objects.select_related("use_case").select_for_update().get(pk=request.metric_id)
    if not rules.has_perm("governance.decide_rebaseline", actor, metric.use_case):
        raise PermissionDenied("Only the board's chair decides a re-baselining.")
    request = RebaselineRequest.objects.select_for_update().get(pk=request.pk)
    if RebaselineDecision.objects.filter(request=request).exists():
        raise ConflictError("The request is already decided.", code="rebaseline_decided")
    if approve and (metric.baseline, metric.target) != (request.old_baseline, request.old_target):
        raise ConflictError(
            "The metric's goalposts changed since this request was made; it can only be rejected.",
            code="rebaseline_stale",
            extra={
                "request_old": [_text(request.old_baseline), _text(request.old_target)],
                "metric_now": [_text(metric.baseline), _text(metric.target)],
            },
        )
    try:
        with transaction.atomic():
            decision = RebaselineDecision.objects.create(
                request=request,
                board=board_of(metric.use_case),
                outcome=RebaselineOutcome.APPROVED if approve else RebaselineOutcome.REJECTED,
                comment=comment,
                decided_by=actor,
                decided_at=now(at),
            )
    except IntegrityError as exc:
        raise ConcurrentChange() from exc
    RebaselinePending.objects.filter(request=request).delete()
    if approve:
        portfolio_services.metric_rebaseline(
            metric=metric,
            baseline=request.new_baseline,
            target=request.new_target,
            approval=request,
            actor=actor,
        )
    return decision


def _text(value) -> str | None:
    return None if value is None else str(value)
