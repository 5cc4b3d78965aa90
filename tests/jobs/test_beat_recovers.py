"""The schedule survives a Redis outage: the beat, run as deployed (`manage.py run_jobs
--beat`, the command the systemd unit in deploy/ runs), loses Redis, exits or waits, and once
Redis is back (empty: no persistence) takes the one-beat lock again, writes the schedule
again and sends the next due job. The beat process itself exits on the outage (the
supervisor's log says so): without the supervisor the schedule would stop for good."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tests.support.jobs import free_port, private_redis

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.services


def started(command: list[str], redis_url: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": redis_url,
        "SQLITE_PATH": str(log.with_suffix(".sqlite3")),
    }
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_the_supervised_beat_recovers_from_a_redis_outage(require_redis, tmp_path):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    supervised_log = tmp_path / "supervised.log"
    with private_redis(port):
        supervised = started(
            [sys.executable, "manage.py", "run_jobs", "--beat"], url, supervised_log
        )
    # (private_redis stopped Redis on leaving the block: the beat starts against nothing.)
    processes = [supervised]
    try:
        with private_redis(port):
            wait_for(
                lambda: "beat: Acquired lock" in supervised_log.read_text(),
                60,
                supervised_log.read_text()[-2000:],
            )
        # Redis is down for 15 s: the lock can be neither extended nor acquired.
        outage = time.monotonic()
        time.sleep(15)
        acquired_before = supervised_log.read_text().count("beat: Acquired lock")
        with private_redis(port):
            back = time.monotonic()
            client = redis.Redis.from_url(url)
            # The lock taken again, the schedule written again into the empty Redis, and a
            # job sent (the every-minute entries: within 60 s of the lock).
            wait_for(
                lambda: supervised_log.read_text().count("beat: Acquired lock") > acquired_before,
                90,
                supervised_log.read_text()[-3000:],
            )
            wait_for(lambda: client.llen("celery") > 0, 75, supervised_log.read_text()[-3000:])
            recovered = time.monotonic() - back
            sent = client.llen("celery")
        print(
            f"BEAT outage {back - outage:.0f} s; supervised beat sending again "
            f"{recovered:.0f} s after Redis returned ({sent} jobs queued)"
        )
        log = supervised_log.read_text()
        assert "The Celery beat exited" in log
        assert supervised.poll() is None
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def test_the_deployed_units_restart_and_run_the_supervised_commands():
    units = {p.name: p.read_text() for p in (ROOT / "deploy/systemd").glob("*.service")}
    assert set(units) == {
        "flywheel-web.service",
        "flywheel-worker.service",
        "flywheel-beat.service",
    }
    assert all("\nRestart=always\n" in text for text in units.values())
    assert "manage.py run_jobs --beat" in units["flywheel-beat.service"]
    assert "manage.py run_jobs --worker" in units["flywheel-worker.service"]
    # The worker may finish a job up to its hard limit (360 s) before systemd kills it.
    assert "TimeoutStopSec=380" in units["flywheel-worker.service"]
