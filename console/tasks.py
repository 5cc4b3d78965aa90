"""Celery tasks of the console: the dashboard's snapshot (every 15 minutes, and with
`manage.py velocity`, which runs every registered sweep)."""

from celery import shared_task

from console.dashboard.services import dashboard_snapshot_save
from portfolio.tasks import RETRY


@shared_task(name="console.tasks.dashboard_snapshot", **RETRY)
def dashboard_snapshot_task() -> dict:
    row = dashboard_snapshot_save()
    return {"computed_at": row.computed_at.isoformat(), "seconds": round(row.seconds, 2)}
