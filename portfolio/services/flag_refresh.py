"""Flags follow their causes: one use case's flags brought up to date as soon as something
that raises or clears them commits (a transition, a reading, a sign-off, a review requested
or decided), through the same after-commit path as the department recompute.

The portfolio refreshes its own kinds here; layers above add theirs (the review-dependent
flags) with ``flag_refresher_register`` from their ready(), so nothing here names them.
"""

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from portfolio.models import FlagKind, UseCase
from portfolio.services.flags import (
    IN_FLIGHT_STATES,
    WATCHED_STATES,
    adoption_plateau_causes,
    behind_forecast_causes,
    flags_reconcile,
    slower_than_previous_causes,
    stale_metric_causes,
    stall_causes,
)

# Called as refresher(use_case_id=..., at=...) after the portfolio's own kinds.
_refreshers: list[Callable] = []


def flag_refresher_register(refresher: Callable) -> None:
    """Add a refresher of flag kinds owned by a layer above the portfolio."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def use_case_flags_refresh(*, use_case_id: int, at: datetime | None = None) -> dict:
    """Raise and clear every kind of flag of one use case against its causes now."""
    at = at or timezone.now()
    use_case = UseCase.objects.filter(pk=use_case_id).values("state", "department_id").first()
    if use_case is None:
        return {}
    scope = [use_case_id]
    watched = scope if use_case["state"] in WATCHED_STATES else []
    in_flight = scope if use_case["state"] in IN_FLIGHT_STATES else []
    slower = slower_than_previous_causes(use_case_ids=scope)
    results = {
        FlagKind.SLOWER_THAN_PREVIOUS: flags_reconcile(
            kind=FlagKind.SLOWER_THAN_PREVIOUS,
            causes={pk: reason for pk, reason in slower.items() if pk == use_case_id},
            scope_use_case_ids=scope,
            at=at,
        ),
        FlagKind.STALL_IN_PROGRESS: flags_reconcile(
            kind=FlagKind.STALL_IN_PROGRESS,
            causes=stall_causes(use_case_ids=in_flight, at=at) if in_flight else {},
            scope_use_case_ids=scope,
            at=at,
        ),
        FlagKind.STALE_METRICS: flags_reconcile(
            kind=FlagKind.STALE_METRICS,
            causes=stale_metric_causes(use_case_ids=watched, at=at) if watched else {},
            scope_use_case_ids=scope,
            at=at,
        ),
        FlagKind.ADOPTION_PLATEAU: flags_reconcile(
            kind=FlagKind.ADOPTION_PLATEAU,
            causes=adoption_plateau_causes(use_case_ids=in_flight) if in_flight else {},
            scope_use_case_ids=scope,
            at=at,
        ),
        FlagKind.BEHIND_FORECAST: flags_reconcile(
            kind=FlagKind.BEHIND_FORECAST,
            causes=behind_forecast_causes(use_case_ids=scope, at=at),
            scope_use_case_ids=scope,
            at=at,
        ),
    }
    for refresher in _refreshers:
        results.update(refresher(use_case_id=use_case_id, at=at) or {})
    return results
