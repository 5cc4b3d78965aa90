"""The portfolio's gauges on /metrics: pending jobs (recorded while the broker was down),
the broker queue's backlog, and job runs and failures counted by the workers in Redis."""

import logging

from celery.signals import task_failure, task_success
from django.conf import settings

from core.metrics import gauge_source
from core.models import PendingJob

logger = logging.getLogger(__name__)

RUNS_KEY = "flywheel:jobs:runs"
FAILURES_KEY = "flywheel:jobs:failures"
QUEUE = "celery"


def _redis():
    url = settings.CELERY_BROKER_URL
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or not url.startswith("redis"):
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _count(key: str) -> None:
    try:
        client = _redis()
        if client is not None:
            client.incr(key)
    except Exception:  # counting must never fail a job
        logger.warning("could not count a job in %s", key, exc_info=True)


@task_success.connect
def _job_succeeded(sender=None, **kwargs) -> None:
    _count(RUNS_KEY)


@task_failure.connect
def _job_failed(sender=None, **kwargs) -> None:
    _count(RUNS_KEY)
    _count(FAILURES_KEY)


def _redis_number(read):
    client = _redis()
    return None if client is None else float(read(client) or 0)


def gauges_register() -> None:
    gauge_source(
        "pending_jobs",
        "Jobs recorded while the broker was down, waiting to be replayed.",
        lambda: PendingJob.objects.count(),
    )
    gauge_source(
        "queue_backlog",
        "Tasks waiting in the broker queue (Redis).",
        lambda: _redis_number(lambda client: client.llen(QUEUE)),
    )
    gauge_source(
        "job_runs",
        "Jobs finished by the Celery workers (successes and failures).",
        lambda: _redis_number(lambda client: client.get(RUNS_KEY)),
    )
    gauge_source(
        "job_failures",
        "Jobs failed on the Celery workers.",
        lambda: _redis_number(lambda client: client.get(FAILURES_KEY)),
    )
