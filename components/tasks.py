"""Celery tasks of components: the incident and vendor flags (idempotent: reconciled against
their causes) and the MLflow fetch of one model's linked version."""

from celery import shared_task

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
