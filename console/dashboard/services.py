"""Writing the dashboard's snapshot: the whole-record aggregates, computed by a job so that
the page reads them in one query whatever the portfolio's size; and, beside it, the monthly
pack's figures of the month the run falls in."""

import json
import time

from django.db import transaction
from django.utils import timezone

from console.dashboard.monthly import pack_figures_json
from console.dashboard.selectors import SNAPSHOT_KEY, FiguresEncoder, expensive_figures
from portfolio.models import FigureSnapshot
from reports.packs import month_key


@transaction.atomic
def dashboard_snapshot_save(*, at=None) -> FigureSnapshot:
    """Compute the dashboard's expensive figures now and keep them (one row, replaced), then
    keep the monthly pack's figures under the month of ``at`` (one row per month, replaced by
    each run in the month: the last run in a month stays as that month's figures)."""
    at = at or timezone.now()
    started = time.perf_counter()
    figures = json.loads(json.dumps(expensive_figures(), cls=FiguresEncoder))
    row, _ = FigureSnapshot.objects.update_or_create(
        key=SNAPSHOT_KEY,
        defaults={"figures": figures, "computed_at": at, "seconds": time.perf_counter() - started},
    )
    month_figures_keep(at=at)
    return row


@transaction.atomic
def month_figures_keep(*, at) -> FigureSnapshot:
    """The pack's figures as the dashboard shows them now (its snapshot, just written, and
    the live velocity, flags and zombies), kept as the figures of the month of ``at``."""
    started = time.perf_counter()
    figures = pack_figures_json()
    row, _ = FigureSnapshot.objects.update_or_create(
        key=month_key(timezone.localdate(at).strftime("%Y-%m")),
        defaults={"figures": figures, "computed_at": at, "seconds": time.perf_counter() - started},
    )
    return row
