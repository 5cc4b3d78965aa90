"""Conditions of a conditional go: resolved by the chair, or overdue and re-reviewed."""

from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ConflictError
from gates.choices import PASSED_GATE_FOR_STATE, Purpose, ReviewStatus
from gates.models import GateReview
from governance.choices import ConditionStatus
from governance.models import Condition
from governance.services.common import now
from governance.services.reviews import review_request


@transaction.atomic
def condition_resolve(
    *, condition: Condition, actor, met: bool, note: str = "", at: datetime | None = None
) -> Condition:
    """Mark a condition of a conditional go met or not met (the chair, or an administrator)."""
    review = condition.decision.review
    if not rules.has_perm("governance.resolve_condition", actor, review):
        raise PermissionDenied(_("Only the board's chair resolves a condition."))
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    if condition.status != ConditionStatus.OPEN:
        raise ConflictError(_("The condition is already resolved."), code="condition_resolved")
    condition.status = ConditionStatus.MET if met else ConditionStatus.UNMET
    condition.resolved_at, condition.resolved_by, condition.note = now(at), actor, note
    condition.save(update_fields=["status", "resolved_at", "resolved_by", "note"])
    return condition


@transaction.atomic
def condition_overdue_review(*, condition: Condition, at: datetime | None = None):
    """Open the mandatory re-review for a condition not met by its due date (by the system).

    Idempotent: a condition opens at most one re-review, and none is opened while the use
    case has an open review or is no longer in a stage (held, killed, retired). Returns the
    review, or None when nothing was opened.
    """
    at = now(at)
    condition = (
        Condition.objects.select_for_update()
        .select_related("decision__review__use_case")
        .get(pk=condition.pk)
    )
    if condition.re_review_id or condition.status != ConditionStatus.OPEN:
        return None
    if condition.due_date >= at.date():
        return None
    gate_review = condition.decision.review
    use_case = gate_review.use_case
    if use_case.state not in PASSED_GATE_FOR_STATE:
        return None
    if GateReview.objects.filter(use_case=use_case, status=ReviewStatus.OPEN).exists():
        return None
    review = review_request(
        use_case=use_case,
        actor=None,
        purpose=Purpose.RE_REVIEW,
        gate=gate_review.gate,
        reason=f"Condition overdue since {condition.due_date:%Y-%m-%d}: {condition.text}",
        at=at,
    )
    Condition.objects.filter(pk=condition.pk).update(re_review=review)
    return review


# --- re-baselining --------------------------------------------------------------------------
