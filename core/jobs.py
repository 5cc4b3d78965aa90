"""Enqueueing follow-up work after commit, without letting a dead broker fail a request.

The task is sent only once the transaction commits (never for a rolled-back change). If
Redis refuses the connection, the publish gives up within the bounded timeouts of
config/settings/jobs.py (about a second), the work is recorded as a PendingJob and the
request carries on; ``pending_jobs_replay`` (on the beat schedule and at worker start-up)
sends it once the broker is back.
"""

import json
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from core import background
from core.models import PendingJob

logger = logging.getLogger(__name__)

# What a publish raises when the broker is unreachable (kombu wraps redis' errors in its
# OperationalError; a refused socket can surface as OSError before the wrapping).
BROKER_ERRORS = (BrokerUnavailable, ConnectionError, OSError, TimeoutError)


def _kwargs_key(kwargs: dict) -> str:
    return json.dumps(kwargs, sort_keys=True, separators=(",", ":"))[:400]


def pending_job_record(*, task_name: str, kwargs: dict, error: str = "") -> PendingJob:
    """Remember work that could not be enqueued; the same task and arguments are kept once."""
    key = _kwargs_key(kwargs)
    try:
        with transaction.atomic():
            job, created = PendingJob.objects.get_or_create(
                task=task_name,
                kwargs_key=key,
                defaults={"kwargs": kwargs, "last_error": error[:400]},
            )
    except IntegrityError:
        job, created = PendingJob.objects.get(task=task_name, kwargs_key=key), False
    if not created:
        PendingJob.objects.filter(pk=job.pk).update(
            attempts=F("attempts") + 1, last_error=error[:400]
        )
    return job


def send_or_record(task, kwargs: dict) -> bool:
    """Send the task now; if the broker is down, record it as pending. True when sent.

    Embedded (eager) mode hands the task to the background thread instead of running it in
    the request (core.background).
    """
    if background.threaded():
        background.background_submit(task, kwargs)
        return True
    try:
        task.apply_async(kwargs=kwargs)
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable, %s recorded as pending: %s", task.name, exc)
        pending_job_record(task_name=task.name, kwargs=kwargs, error=str(exc))
        return False
    return True


def enqueue_on_commit(task, **kwargs) -> None:
    """Send ``task(**kwargs)`` after the current transaction commits (at once outside one).

    Never raises for a broker outage: the work is recorded and replayed later.
    """
    # robust: whatever happens after the commit (an eager task's failure, a locked database,
    # a broker error not foreseen) is logged and never turns the committed change into a 500;
    # the work is idempotent and the next sweep catches up.
    transaction.on_commit(lambda: send_or_record(task, kwargs), robust=True)


def pending_jobs_replay(*, limit: int = 500) -> dict:
    """Send the recorded pending work, oldest first; stop at the first broker failure."""
    from celery import current_app

    sent = failed = 0
    for job in PendingJob.objects.order_by("first_failed_at", "id")[:limit]:
        task = current_app.tasks.get(job.task)
        if task is None:
            logger.error("pending job %s names an unknown task; dropped", job)
            PendingJob.objects.filter(pk=job.pk).delete()
            continue
        try:
            task.apply_async(kwargs=job.kwargs)
        except BROKER_ERRORS as exc:
            PendingJob.objects.filter(pk=job.pk).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:400]
            )
            failed += 1
            break
        PendingJob.objects.filter(pk=job.pk).delete()
        sent += 1
    return {"sent": sent, "failed": failed, "at": timezone.now().isoformat()}


class JobSlot:
    """A follow-up job a service starts after commit, filled with its Celery task by the
    app's ready(): a service never imports the tasks module that imports it (tasks sit above
    services), and the task is still the one object Celery runs."""

    def __init__(self, name: str):
        self.name = name
        self.task = None

    def fill(self, task) -> None:
        self.task = task

    def enqueue_on_commit(self, **kwargs) -> None:
        """``enqueue_on_commit`` of the task that fills the slot."""
        if self.task is None:
            raise LookupError(f"No task fills the job {self.name!r}; its app's ready() does.")
        enqueue_on_commit(self.task, **kwargs)


def lapsed_jobs_requeue(jobs, *, fields=("pk",), requeue) -> list[tuple]:
    """Queue again the jobs of ``jobs`` (a queryset of runs in progress) whose run's hold
    (``claimed_until``) lapsed: a worker died under them, or their message was lost. Where the
    database can tell, a job whose row an open transaction still locks (a run importing) is
    left to it. ``requeue(*row)`` is called for each row of ``fields`` in the same
    transaction (it resets the job and enqueues it on commit). Returns the rows."""
    lapsed = jobs.filter(claimed_until__lt=timezone.now())
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            lapsed = lapsed.select_for_update(skip_locked=True)
        rows = list(lapsed.values_list(*fields))
        for row in rows:
            requeue(*row)
    return rows
