"""Celery tasks of components: the incident and vendor flags (idempotent: reconciled against
their causes), the MLflow fetch of one model's linked version, and the run of an uploaded
ML-BOM with the resume of the runs a dead worker held.

The ML-BOM run is acknowledged on receipt (settings.IMPORT_JOB_OPTIONS, as the inventory
import: a large BOM may outlast the broker's visibility timeout); the job row's hold and
``bom_jobs_resume`` bring back the work of a worker that died (components.bom_jobs).
"""

from celery import shared_task
from django.conf import settings

from components.bom_jobs import bom_job_run, bom_jobs_resume
from components.watch import components_sweep
from portfolio.tasks import RETRY


@shared_task(name="components.tasks.incidents_sweep", **RETRY)
def incidents_sweep_task() -> dict:
    """Raise and clear "incident report overdue" and "vendor assessment expired" everywhere."""
    results = components_sweep()
    return {str(kind): {"raised": r.raised, "cleared": r.cleared} for kind, r in results.items()}


@shared_task(name="components.tasks.mlflow_fetch", **RETRY)
def mlflow_fetch_task(component_id: int) -> dict:
    """Fetch the run metrics of the model's linked MLflow version (quiet if it is gone)."""
    from components.mlflow_client import mlflow_fetch
    from components.models import MlflowLink

    link = MlflowLink.objects.filter(component_id=component_id).first()
    if link is None:
        return {"component_id": component_id, "fetched": False}
    link = mlflow_fetch(link=link)
    return {
        "component_id": component_id,
        "fetched": not link.fetch_error,
        "error": link.fetch_error,
    }


@shared_task(name="components.tasks.mlflow_fetch_all")
def mlflow_fetch_all_task() -> int:
    """Queue a fetch of every linked MLflow version (hourly); returns how many were queued."""
    from components.models import MlflowLink

    ids = list(MlflowLink.objects.values_list("component_id", flat=True))
    for component_id in ids:
        mlflow_fetch_task.delay(component_id)
    return len(ids)


@shared_task(name="components.tasks.bom_import_job", **settings.IMPORT_JOB_OPTIONS, **RETRY)
def bom_import_job_task(job_id: int) -> dict:
    """Validate, plan and (unless a dry run) import one uploaded ML-BOM."""
    job = bom_job_run(job_id=job_id)
    if job is None:
        return {"skipped": "job gone"}
    return {"status": job.status, "attempt": job.attempt}


@shared_task(name="components.tasks.bom_jobs_resume", **RETRY)
def bom_jobs_resume_task() -> dict:
    """Queue again the ML-BOM jobs whose run's hold lapsed (every minute)."""
    return {"queued": bom_jobs_resume()}
