"""Real Celery workers on a real Redis for the job tests.

Each test gets a private redis-server on a free port (never the machine's shared Redis, so
no other engineer's worker can take these tasks), and the Celery app switched out of eager
mode onto it for the duration of the test.
"""

import contextlib
import shutil
import socket
import subprocess
import time

import pytest
import redis
from kombu import pools

from config.celery import app as celery_app
from tests.conftest import skip_or_fail
from tests.receiver import receiver  # noqa: F401  (fixture: a loopback HTTP receiver)

pytestmark = pytest.mark.services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
