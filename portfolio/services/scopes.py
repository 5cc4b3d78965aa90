"""After a change: every scope the change touches brought up to date, in one job, in order.

A transition, a metric's change or a reading changes the velocity of the use case's
department and of the portfolio, and the flags that follow from them. All of that is one
function, run after commit by one job (``portfolio.tasks.scopes_refresh``), in this order:

1. the department's velocity, then the portfolio's (each skipped when its record has not
   changed since its last run: two aggregate queries), then the forecasts that read them;
2. the department's flags, when its velocity changed (a slower-than-previous flag of another
   use case may follow from the new figures);
3. the use case's own flags, every kind, including those of the layers above.

Flags are read from velocity rows, so they are judged only after those rows are current: two
jobs (a per-use-case flag refresh and a department recompute) racing on two workers made a
flag clear and rise again for one change (the refresh read the rows of the use case's old
stage, found no cause, cleared; the recompute wrote the new stage's rows, raised anew).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from portfolio.models import Department, UseCase
from portfolio.services.flag_refresh import use_case_flags_refresh
from portfolio.services.flags import flags_sweep
from portfolio.services.forecast import forecasts_refresh
from portfolio.services.velocity import velocity_recompute


@dataclass
class ScopesRefreshResult:
    duration_rows: int = 0
    trend_rows: int = 0
    flags_raised: int = 0
    flags_cleared: int = 0
    scopes_skipped: int = 0
    steps: list[str] = field(default_factory=list)


def scopes_refresh(
    *, department_id: int | None = None, use_case_id: int | None = None, at: datetime | None = None
) -> ScopesRefreshResult:
    """Bring the velocity and the flags of every scope a change touched up to date: the
    department's and the portfolio's velocity, the department's flags where its velocity
    changed, then the use case's flags. Idempotent: a second run finds the watermarks
    current and the flags matching their causes, and changes nothing."""
    at = at or timezone.now()
    result = ScopesRefreshResult()
    if use_case_id is not None:
        found = UseCase.objects.filter(pk=use_case_id).values_list("department_id", flat=True)
        department_id = found.first() or department_id
    if department_id is not None and Department.objects.filter(pk=department_id).exists():
        department = velocity_recompute(department_id=department_id, at=at)
        portfolio = velocity_recompute(portfolio_only=True, at=at)
        result.duration_rows = department.duration_rows + portfolio.duration_rows
        result.trend_rows = department.trend_rows + portfolio.trend_rows
        result.scopes_skipped = department.skipped_scopes + portfolio.skipped_scopes
        result.steps += ["department velocity", "portfolio velocity"]
        forecasts_refresh(department_id=department_id, at=at)
        result.steps.append("forecasts")
        if not department.skipped_scopes:
            _add(result, flags_sweep(department_id=department_id, at=at))
            result.steps.append("department flags")
    if use_case_id is not None:
        _add(result, use_case_flags_refresh(use_case_id=use_case_id, at=at))
        result.steps.append("use case flags")
    return result


def _add(result: ScopesRefreshResult, by_kind: dict) -> None:
    result.flags_raised += sum(r.raised for r in by_kind.values())
    result.flags_cleared += sum(r.cleared for r in by_kind.values())
