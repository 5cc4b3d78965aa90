"""Celery tasks of governance: the review-dependent flags and the mandatory re-reviews.

Idempotent like every task here (acks_late redelivers after a worker dies): flags are
reconciled against their causes and a re-review is opened at most once per overdue condition.
"""

from celery import shared_task
from django.conf import settings

from governance.watch import watch_sweep
from portfolio.tasks import RETRY


# 271 s at a million use cases on a loaded machine: a long sweep (config/settings/jobs.py).
@shared_task(name="governance.tasks.watch_sweep", **settings.LONG_SWEEP_OPTIONS, **RETRY)
def watch_sweep_task() -> dict:
    """Pilot purgatory, decision overdue, condition overdue, re-review due (every 15 minutes)."""
    result = watch_sweep()
    return {
        "flags": {
            kind: {"raised": r.raised, "cleared": r.cleared} for kind, r in result["flags"].items()
        },
        "re_reviews_opened": result["re_reviews_opened"],
    }
