"""Embedded mode's jobs: follow-up work off the request path, and the beat schedule in-process.

With no broker configured (the embedded default) Celery runs tasks eagerly, which would run a
department recompute inside the request that committed the change, holding SQLite's write
lock while other people wait. Instead one background thread per process runs that work
after the commit, one job at a time (a job already waiting with the same arguments is not
queued twice), and wakes every ``TICK_SECONDS`` to run what ``CELERY_BEAT_SCHEDULE`` says is
due, so the time-based sweeps run without a beat. A job's failure is logged and never
reaches a person's request; its work is idempotent and the next sweep catches up.

``FLYWHEEL_BACKGROUND_JOBS``: "thread" (embedded default) or "inline" (the test suite: run
at once after commit, still never raising into the request).
"""

import hashlib
import json
import logging
import queue
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: one process serves there (runserver)
    fcntl = None

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection

logger = logging.getLogger(__name__)

TICK_SECONDS = 30
ATTEMPTS = 3

_queue: queue.Queue = queue.Queue()
_waiting: set[str] = set()
_lock = threading.Lock()
_worker: threading.Thread | None = None
_last_runs: dict[str, datetime] = {}
_counters = {"runs": 0, "failures": 0}
_schedule_lock = None  # the open lock file of the process that runs the schedule


def threaded() -> bool:
    """True when eager-mode jobs leave the request for the background thread."""
    eager = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    return eager and getattr(settings, "FLYWHEEL_BACKGROUND_JOBS", "thread") == "thread"


def _key(task, kwargs: dict) -> str:
    return f"{task.name}:{json.dumps(kwargs, sort_keys=True, default=str)}"


def background_submit(task, kwargs: dict) -> bool:
    """Queue ``task(**kwargs)`` for the background thread; False when the same job waits."""
    key = _key(task, kwargs)
    with _lock:
        if key in _waiting:
            return False
        _waiting.add(key)
    _queue.put((key, task, kwargs))
    background_start()
    return True


def _run(task, kwargs: dict) -> None:
    """Run one job; a database still locked after SQLite's wait is tried again a little
    later (ATTEMPTS in all), as a queued writer would be; any other failure is logged."""
    for attempt in range(1, ATTEMPTS + 1):
        close_old_connections()
        try:
            task.apply(kwargs=kwargs, throw=True)
            _counters["runs"] += 1
            return
        except OperationalError:
            if attempt < ATTEMPTS:
                logger.warning("background job %s(%s) waits for the database", task.name, kwargs)
                time.sleep(2 * attempt)
                continue
            _counters["failures"] += 1
            logger.exception("background job %s(%s) failed", task.name, kwargs)
        except Exception:
            _counters["failures"] += 1
            logger.exception("background job %s(%s) failed", task.name, kwargs)
            return
        finally:
            connection.close()


def schedule_tick(now: datetime | None = None) -> list[str]:
    """Queue every entry of CELERY_BEAT_SCHEDULE that is due; the names queued."""
    from celery import current_app

    now = now or datetime.now(UTC)
    queued = []
    for name, entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).items():
        last = _last_runs.setdefault(name, now)
        schedule = entry["schedule"]
        due = (
            schedule.is_due(last).is_due
            if hasattr(schedule, "is_due")
            else (now - last).total_seconds() >= float(schedule)
        )
        task = current_app.tasks.get(entry["task"])
        if due and task is not None:
            _last_runs[name] = now
            background_submit(task, entry.get("kwargs", {}))
            queued.append(name)
    return queued


def schedule_lock_path(db: dict | None = None) -> Path:
    """The lock file of this instance's schedule: one per database, so the web processes of
    one instance share it and two instances on one host (two databases) do not."""
    db = db or settings.DATABASES["default"]
    identity = f"{db['ENGINE']}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db['NAME']}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"flywheel-schedule-{digest}.lock"


def schedule_holder(path: Path | None = None) -> bool:
    """True in the one process of an instance that runs the schedule: the one holding an
    exclusive lock on the instance's lock file (gunicorn runs several web processes, each
    with this thread; without the lock every sweep would run once per process). The
    operating system releases the lock when its process ends, and another process takes it
    at its next tick."""
    global _schedule_lock
    if _schedule_lock is not None or fcntl is None:
        return True
    handle = open(path or schedule_lock_path(), "a")  # noqa: SIM115 (held for the process)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _schedule_lock = handle
    return True


def _loop() -> None:
    next_tick = time.monotonic()
    while True:
        if time.monotonic() >= next_tick:
            next_tick = time.monotonic() + TICK_SECONDS
            try:
                if threaded() and schedule_holder():  # settings may change in tests
                    schedule_tick()
            except Exception:
                logger.exception("embedded schedule tick failed")
        try:
            key, task, kwargs = _queue.get(timeout=TICK_SECONDS)
        except queue.Empty:
            continue
        with _lock:
            _waiting.discard(key)
        _run(task, kwargs)
        _queue.task_done()


def background_start() -> None:
    """Start this process's background thread once (cheap to call on every request)."""
    global _worker
    if _worker is not None and _worker.is_alive():
        return
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_loop, name="flywheel-jobs", daemon=True)
            _worker.start()


def background_drain(timeout: float = 30) -> bool:
    """Wait until the queued jobs have run (tests, shutdown); False on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _queue.unfinished_tasks == 0:
            return True
        time.sleep(0.05)
    return False


def background_counts() -> dict:
    """Jobs run and failed by this process's thread, and how many wait (for /metrics)."""
    return {**_counters, "waiting": _queue.qsize()}


class BackgroundJobsMiddleware:
    """Starts the background thread (and with it the embedded schedule) in a serving process."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if threaded():
            background_start()
        return self.get_response(request)
