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

# The goalposts a request may move besides baseline and target (blank: unchanged).
TEXT_GOALPOSTS = ("name", "unit", "direction", "cadence")


@transaction.atomic
def rebaseline_request(
    *,
    metric: Metric,
    actor,
    reason: str,
    baseline=None,
    target=None,
    name: str = "",
    unit: str = "",
    direction: str = "",
    cadence: str = "",
    at: datetime | None = None,
) -> RebaselineRequest:
    """Ask the board to move a locked metric's goalposts (baseline, target, and its name,
    unit, direction or cadence); the old and the new values stay on the request.

    One request waits per metric: a second one is refused (409) until the board decides.
    """
    # As stored now, not as the caller's copy remembers it (the lock may be newer).
    use_case = Metric.objects.select_related("use_case").get(pk=metric.pk).use_case
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
    wanted = {"name": name, "unit": unit, "direction": direction, "cadence": cadence}
    request = RebaselineRequest(
        metric=metric,
        old_baseline=metric.baseline,
        old_target=metric.target,
        new_baseline=metric.baseline if baseline is None else baseline,
        new_target=metric.target if target is None else target,
        reason=reason,
        requested_by=actor,
        requested_at=now(at),
        **{f"old_{field}": getattr(metric, field) for field in TEXT_GOALPOSTS},
        **{f"new_{field}": wanted[field] or getattr(metric, field) for field in TEXT_GOALPOSTS},
    )
    request.full_clean()
    if not _moves(request):
        raise ValidationError({"non_field_errors": ["The request moves no goalpost."]})
    if (
        request.new_name != metric.name
        and Metric.objects.filter(use_case_id=metric.use_case_id, name=request.new_name).exists()
    ):
        raise ValidationError({"name": ["Another metric of this use case has that name."]})
    if RebaselinePending.objects.filter(metric=metric).exists():
        raise _pending_conflict(metric)
    request.save()
    try:
        with transaction.atomic():
            RebaselinePending.objects.create(metric=metric, request=request)
    except IntegrityError as exc:
        raise _pending_conflict(metric) from exc
    return request


def _moves(request: RebaselineRequest) -> dict:
    """The goalposts the request changes, as {field: new value}."""
    fields = ("baseline", "target", *TEXT_GOALPOSTS)
    return {
        field: getattr(request, f"new_{field}")
        for field in fields
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
    if approve and _stale(request, metric):
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
            metric=metric, approval=request, actor=actor, **_moves(request)
        )
    return decision


def _text(value) -> str | None:
    return None if value is None else str(value)
