"""Celery settings that do not depend on the environment: safety, limits and the schedule."""

import os

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# A task whose worker dies is redelivered, so every task must be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# A web request must not hang when Redis is down: fail fast, the caller records the work.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task acknowledged late (every task unless it says otherwise) whose worker died is
# redelivered once its message has been unacknowledged for VISIBILITY_TIMEOUT seconds; workers
# look for such messages every few seconds (kombu's default scan is only every ~100 s). It must
# exceed the hard time limit of every late-acknowledged task, or a task still running would be
# handed to a second worker; and it is no longer than that, so the work of a killed worker is
# done again within minutes (420 s), not an hour. The long scheduled sweeps (time limits of
# 1,900 s) are acknowledged on receipt instead: a worker killed under one loses that run, and
# the next run on the schedule does the work (every 15 minutes; the nightly recompute is a
# backstop behind the refresh each change runs).
LONGEST_TASK_TIME_LIMIT = CELERY_TASK_TIME_LIMIT
VISIBILITY_TIMEOUT = int(
    os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(LONGEST_TASK_TIME_LIMIT + 60))
)
# CELERY_VISIBILITY_TIMEOUT_BELOW_LIMITS=1 lifts the check for a test of redelivery only.
if VISIBILITY_TIMEOUT <= LONGEST_TASK_TIME_LIMIT and not os.environ.get(
    "CELERY_VISIBILITY_TIMEOUT_BELOW_LIMITS"
):
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT={VISIBILITY_TIMEOUT} must exceed the longest task time "
        f"limit ({LONGEST_TASK_TIME_LIMIT} s), or a running task would be redelivered."
    )
# Scheduled work that outlasts the visibility timeout: acknowledged on receipt (a killed
# worker's run is redone by the next one on the schedule), with its own limits.
LONG_SWEEP_OPTIONS = {"acks_late": False, "soft_time_limit": 1800, "time_limit": 1900}
# An inventory import of a large file may run up to an hour: it is acknowledged on receipt too
# (a late acknowledgement would have it redelivered after 420 s while it still runs). Its job
# row is the record instead: a run holds it for INVENTORY_JOB_LEASE_SECONDS, renewed by every
# progress write, and the every-minute resume queues again a job whose hold lapsed (its worker
# died, or Redis lost the message), so a killed worker's import is redone within minutes.
IMPORT_JOB_OPTIONS = {"acks_late": False, "soft_time_limit": 3600, "time_limit": 3700}
INVENTORY_JOB_LEASE_SECONDS = int(os.environ.get("INVENTORY_JOB_LEASE_SECONDS", "300"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": min(10, VISIBILITY_TIMEOUT),
    "unacked_restore_throttle": 1,
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Exactly one beat: celery-redbeat keeps the schedule in Redis (no schedule file on disk, so
# nothing shared between instances in /tmp) and holds a lock there; a second beat waits for
# the lock and takes over only when the first stops renewing it.
CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
CELERY_REDBEAT_KEY_PREFIX = os.environ.get("CELERY_REDBEAT_KEY_PREFIX", "flywheel:redbeat:")
CELERY_REDBEAT_LOCK_TIMEOUT = 300
CELERY_BEAT_MAX_LOOP_INTERVAL = 60

# Version-controlled schedule with dotted task paths; exactly one beat runs it.
CELERY_BEAT_SCHEDULE: dict = {
    "flags-every-15-minutes": {
        "task": "portfolio.tasks.flags_sweep_all",
        "schedule": crontab(minute="*/15"),
    },
    "review-flags-every-15-minutes": {
        "task": "governance.tasks.watch_sweep",
        "schedule": crontab(minute="*/15"),
    },
    "obligation-flags-every-15-minutes": {
        "task": "compliance.tasks.obligations_sweep",
        "schedule": crontab(minute="*/15"),
    },
    "components-flags-every-15-minutes": {
        "task": "components.tasks.incidents_sweep",
        "schedule": crontab(minute="*/15"),
    },
    "mlflow-metrics-hourly": {
        "task": "components.tasks.mlflow_fetch_all",
        "schedule": crontab(minute=7),
    },
    "dashboard-snapshot-every-15-minutes": {
        "task": "console.tasks.dashboard_snapshot",
        "schedule": crontab(minute="*/15"),
    },
    "velocity-nightly-full-recompute": {
        "task": "portfolio.tasks.velocity_recompute_all",
        "schedule": crontab(minute=30, hour=2),
    },
    # Mail the at-once notifications a job missed (its broker was down); normally empty.
    "notifications-mail-every-5-minutes": {
        "task": "portfolio.tasks.notifications_mail",
        "schedule": crontab(minute="*/5"),
    },
    "notifications-daily-digest": {
        "task": "portfolio.tasks.notifications_digest",
        "schedule": crontab(minute=0, hour=7),
    },
    "webhook-retries-every-minute": {
        "task": "integrations.tasks.webhook_deliveries_retry",
        "schedule": crontab(minute="*"),
    },
    "resume-lapsed-import-jobs-every-minute": {
        "task": "inventory.tasks.import_jobs_resume",
        "schedule": crontab(minute="*"),
    },
    "resume-lapsed-mlbom-jobs-every-minute": {
        "task": "components.tasks.bom_jobs_resume",
        "schedule": crontab(minute="*"),
    },
    "replay-pending-jobs-every-minute": {
        "task": "portfolio.tasks.pending_jobs_replay",
        "schedule": crontab(minute="*"),
    },
}
