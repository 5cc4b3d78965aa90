"""Celery tasks of the inventory: a large file's dry run or import, by job id."""

from celery import shared_task

from inventory.services import import_job_run
from portfolio.tasks import RETRY


@shared_task(
    name="inventory.tasks.inventory_import_job", soft_time_limit=3600, time_limit=3700, **RETRY
)
def inventory_import_job(job_id: int, apply: bool) -> dict:
    """Check (or import) one uploaded inventory file, writing its progress on the job."""
    job = import_job_run(job_id=job_id, apply=apply)
    if job is None:
        return {"skipped": "job gone"}
    return {"status": job.status, "errors": job.report.get("error_count", 0)}
