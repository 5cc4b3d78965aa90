"""Celery tasks of the inventory: a large file's dry run or import, by job id, and the resume
of the jobs a dead worker held.

The import is acknowledged on receipt (settings.IMPORT_JOB_OPTIONS: it may run an hour, far
past the broker's 420 s visibility timeout); the job row's lease and `import_jobs_resume`
bring back the work of a worker that died, and a run never overlaps another.
"""

from celery import shared_task
from django.conf import settings

from inventory.services import import_job_run
from inventory.services import import_jobs_resume as resume
from portfolio.tasks import RETRY


@shared_task(name="inventory.tasks.inventory_import_job", **settings.IMPORT_JOB_OPTIONS, **RETRY)
def inventory_import_job(job_id: int, apply: bool) -> dict:
    """Check (or import) one uploaded inventory file, writing its progress on the job."""
    job = import_job_run(job_id=job_id, apply=apply)
    if job is None:
        return {"skipped": "job gone"}
    return {"status": job.status, "errors": job.report.get("error_count", 0)}


@shared_task(name="inventory.tasks.import_jobs_resume", **RETRY)
def import_jobs_resume() -> dict:
    """Queue again the import jobs whose run's hold lapsed (every minute)."""
    return {"queued": resume()}
