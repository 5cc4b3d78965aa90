"""Compliance's part of My actions: open obligations a person owns that are due soon or
overdue (one query)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from compliance.selectors import obligations_for_owner
from core.actions import Action

KINDS = {"obligation_due": "Obligations coming due"}


def compliance_actions(user, roles, *, at=None) -> list[Action]:
    today = (at or timezone.now()).date()
    horizon = today + timedelta(days=settings.FLYWHEEL_CONDITION_DUE_SOON_DAYS)
    return [
        Action(
            kind="obligation_due",
            title=f"{obligation.obligation_type.article}: {obligation.obligation_type.title}",
            detail=f"'{obligation.use_case.title}', due {obligation.due_date:%Y-%m-%d}.",
            path=f"/compliance/use-cases/{obligation.use_case_id}/",
            due=obligation.due_date,
        )
        for obligation in obligations_for_owner(user=user).filter(due_date__lte=horizon)
    ]
