"""Real Celery workers on a private Redis: start, stop and wait for them; a broker per block."""

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from kombu import pools

from config.celery import app as celery_app
from portfolio import services
from tests import factories
from tests.support.ports import free_port
from tests.support.receiver import receiver  # noqa: F401  (fixture: a loopback HTTP receiver)
from tests.support.services import skip_or_fail
from tests.support.velocity import Authorisation


class Finished:
    """Collects the tasks the in-process worker finished, to wait on them without results."""

    def __init__(self):
        self.runs: list[tuple[str, str]] = []
        self.changed = threading.Condition()

    def __call__(self, sender=None, task=None, state=None, **kwargs):
        # The worker thread's database connection must not outlive the test database.
        connections.close_all()
        with self.changed:
            self.runs.append((task.name, state))
            self.changed.notify_all()

    def wait_for(self, name: str, count: int = 1, timeout: float = 60) -> list[str]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.states(name)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{name} ran {self.states(name)}; expected {count} runs")
                self.changed.wait(left)
        return self.states(name)

    def states(self, name: str) -> list[str]:
        return [state for task, state in self.runs if task == name]


@contextlib.contextmanager
def worker_on(app):
    finished = Finished()
    task_postrun.connect(finished, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
            yield w, finished
    finally:
        task_postrun.disconnect(finished)


def in_pilot(department, head, title, days):
    use_case = factories.UseCaseFactory(department=department, title=title)
    use_case = services.use_case_submit(use_case=use_case, actor=head)
    moment = use_case.submitted_at + timedelta(days=days)
    return services.use_case_advance(
        use_case=use_case, authorisation=Authorisation(), actor=head, at=moment
    )


ROOT = Path(__file__).resolve().parents[2]


CELERY = str(Path(sys.executable).with_name("celery"))


def wait_until(check, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def worker_env(redis_url: str, **extra: str) -> dict:
    """The environment of a worker process on the private broker and this test's PostgreSQL
    database, with ``extra`` settings on top."""
    name = connections["default"].settings_dict["NAME"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "CELERY_BROKER_URL": redis_url,
        **extra,
    }


def spawn_worker(env, log: Path) -> subprocess.Popen:
    """A real worker process (solo pool) on the private broker and the test database."""
    return subprocess.Popen(
        [
            *(CELERY, "-A", "config", "worker", "-P", "solo", "-l", "info"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("-n", f"lost-{log.stem}@%h"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def private_redis(port: int | None = None):
    """Start a throw-away redis-server (no persistence) and stop it afterwards."""
    port = port or free_port()
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            "/tmp",
            "--logfile",
            f"/tmp/flywheel-vel-redis-{port}.log",
        ],
        check=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not redis_answers(url):
        if time.monotonic() > deadline:
            raise RuntimeError(f"private redis-server on {port} did not start")
        time.sleep(0.05)
    try:
        yield url
    finally:
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(url).shutdown(nosave=True)


def reset_connections(app) -> None:
    """Forget pooled broker connections so the next publish uses the current broker_url."""
    with contextlib.suppress(Exception):
        app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry keyed by connection.
    pools.reset()


@contextlib.contextmanager
def broker(url: str, **conf):
    """The Celery app pointed at ``url``, not eager, for the duration of the block."""
    app = celery_app
    app.loader.import_module("celery.contrib.testing.tasks")
    app.loader.import_default_modules()
    import governance.tasks  # noqa: F401  (registers the review-flag task)
    import portfolio.tasks  # noqa: F401

    changes = {"broker_url": url, "task_always_eager": False, **conf}
    saved = {key: app.conf.get(key) for key in changes}
    app.conf.update(changes)
    reset_connections(app)
    try:
        yield app
    finally:
        app.conf.update(saved)
        reset_connections(app)


@pytest.fixture
def require_redis():
    """The job tests need redis-server on this machine (and the shared Redis answering)."""
    if shutil.which("redis-server") is None or not redis_answers("redis://127.0.0.1:6379/0"):
        skip_or_fail("these job tests need Redis (redis-server and 127.0.0.1:6379)")


@pytest.fixture
def redis_url(require_redis):
    with private_redis() as url:
        yield url
