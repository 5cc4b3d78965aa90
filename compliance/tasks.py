"""Celery tasks of compliance: the "obligation overdue" flags (idempotent: reconciled
against their causes, so a redelivered task changes nothing)."""

from celery import shared_task

from compliance.watch import obligations_sweep
from portfolio.tasks import RETRY


@shared_task(name="compliance.tasks.obligations_sweep", **RETRY)
def obligations_sweep_task() -> dict:
    """Raise and clear "obligation overdue" everywhere (every 15 minutes)."""
    result = obligations_sweep()
    return {"raised": result.raised, "cleared": result.cleared, "open": result.still_open}
