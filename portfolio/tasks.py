"""Celery tasks of the portfolio: take ids, call a service, retry only what is transient.

acks_late and reject_on_worker_lost are global (config/settings/jobs.py): a task whose
worker dies is redelivered, and every task here is idempotent (upserts on natural keys,
flags reconciled against their causes), so a second run changes nothing.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError

from core import jobs
from portfolio.models import Department
from portfolio.services import notifications
from portfolio.services.flags import flags_sweep
from portfolio.services.forecast import forecasts_refresh
from portfolio.services.scopes import scopes_refresh
from portfolio.services.velocity import velocity_recompute

logger = logging.getLogger(__name__)

# Transient: the database went away or a lock could not be had (deadlock, serialisation).
# Anything else is a bug or bad data, and retrying it would only repeat it.
TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "max_retries": 3,
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
}


@shared_task(name="portfolio.tasks.scopes_refresh", **RETRY)
def scopes_refresh_task(department_id: int | None = None, use_case_id: int | None = None) -> dict:
    """After a change: the department's and the portfolio's velocity, then the flags, in
    order (portfolio/services/scopes.py)."""
    result = scopes_refresh(department_id=department_id, use_case_id=use_case_id)
    return {
        "duration_rows": result.duration_rows,
        "trend_rows": result.trend_rows,
        "flags_raised": result.flags_raised,
        "flags_cleared": result.flags_cleared,
    }


@shared_task(name="portfolio.tasks.velocity_recompute_department", **RETRY)
def velocity_recompute_department(department_id: int) -> dict:
    """One department's scopes (its velocity, the portfolio's, its flags). Kept by this name
    for the messages already queued by an earlier version."""
    if not Department.objects.filter(pk=department_id).exists():
        return {"skipped": "department gone"}
    return scopes_refresh_task(department_id=department_id)


_deferred: ContextVar[set | None] = ContextVar("deferred_recomputes", default=None)


@contextmanager
def recomputes_deferred():
    """Collect the departments whose recompute is asked for instead of running each one; a
    bulk load (the demo) runs one full recompute at its end. Yields the set of ids."""
    departments: set[int] = set()
    token = _deferred.set(departments)
    try:
        yield departments
    finally:
        _deferred.reset(token)


def scopes_refresh_on_commit(*, department_id: int, use_case_id: int | None = None) -> None:
    """Once the current change commits, refresh every scope it touched: the department's and
    the portfolio's velocity, then the flags (of the use case, when one is named)."""
    deferred = _deferred.get()
    if deferred is not None:
        deferred.add(department_id)
        return
    kwargs = {"department_id": department_id}
    if use_case_id is not None:
        kwargs["use_case_id"] = use_case_id
    jobs.enqueue_on_commit(scopes_refresh_task, **kwargs)


def department_recompute_on_commit(*, department_id: int) -> None:
    """Recompute a department's (and the portfolio's) velocity and flags after commit."""
    scopes_refresh_on_commit(department_id=department_id)


@shared_task(name="portfolio.tasks.use_case_flags_refresh", **RETRY)
def use_case_flags_refresh_task(use_case_id: int) -> dict:
    """One use case's flags against their causes, after a change that may raise or clear
    one; the velocity its flags are read from is brought up to date first (scopes_refresh),
    so a refresh never judges a use case on the rows of the stage it has left."""
    return scopes_refresh_task(use_case_id=use_case_id)


def use_case_flags_refresh_on_commit(*, use_case_id: int) -> None:
    """Bring the use case's flags up to date once the current change commits."""
    jobs.enqueue_on_commit(use_case_flags_refresh_task, use_case_id=use_case_id)


@shared_task(name="portfolio.tasks.velocity_recompute_all", **settings.LONG_SWEEP_OPTIONS, **RETRY)
def velocity_recompute_all() -> dict:
    """The full recompute: every department and the portfolio, then every flag (nightly)."""
    result = velocity_recompute()
    forecasts_refresh()
    flags = flags_sweep()
    return {
        "duration_rows": result.duration_rows,
        "trend_rows": result.trend_rows,
        "flags_raised": sum(r.raised for r in flags.values()),
    }


@shared_task(name="portfolio.tasks.flags_sweep_all", **settings.LONG_SWEEP_OPTIONS, **RETRY)
def flags_sweep_all() -> dict:
    """Raise and clear the portfolio's flags everywhere (every 15 minutes)."""
    flags = flags_sweep()
    return {kind: {"raised": r.raised, "cleared": r.cleared} for kind, r in flags.items()}


@shared_task(name="portfolio.tasks.pending_jobs_replay", **RETRY)
def pending_jobs_replay() -> dict:
    """Send the work recorded while the broker was down."""
    return jobs.pending_jobs_replay()


@worker_ready.connect
def _replay_on_worker_start(sender=None, **kwargs) -> None:
    """A worker that starts after an outage picks up the pending work at once."""
    try:
        jobs.send_or_record(pending_jobs_replay, {})
    except Exception:  # a start-up hook must never stop the worker
        logger.exception("could not enqueue the pending-jobs replay at worker start")


# A mail server that refuses is transient too (smtplib's errors are OSErrors).
MAIL_RETRY = {**RETRY, "autoretry_for": (*TRANSIENT, OSError)}


@shared_task(name="portfolio.tasks.notifications_mail", **MAIL_RETRY)
def notifications_mail() -> dict:
    """Mail what people want at once: one message per person, batches on one connection."""
    return notifications.notifications_mail()


@shared_task(name="portfolio.tasks.notifications_digest", **MAIL_RETRY)
def notifications_digest() -> dict:
    """The daily digest: one message per person listing what arrived for them."""
    return notifications.notifications_digest()
