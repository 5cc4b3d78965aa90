"""Writing the dashboard's snapshot: the whole-record aggregates, computed by a job so that
the page reads them in one query whatever the portfolio's size."""

import json
import time

from django.db import transaction
from django.utils import timezone

from console.dashboard.selectors import SNAPSHOT_KEY, FiguresEncoder, expensive_figures
from portfolio.models import FigureSnapshot


@transaction.atomic
def dashboard_snapshot_save(*, at=None) -> FigureSnapshot:
    """Compute the dashboard's expensive figures now and keep them (one row, replaced)."""
    started = time.perf_counter()
    figures = json.loads(json.dumps(expensive_figures(), cls=FiguresEncoder))
    row, _ = FigureSnapshot.objects.update_or_create(
        key=SNAPSHOT_KEY,
        defaults={
            "figures": figures,
            "computed_at": at or timezone.now(),
            "seconds": time.perf_counter() - started,
        },
    )
    return row
