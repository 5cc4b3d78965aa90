"""A worker killed in the middle of a task (kill -9): with acks_late the task is redelivered
to the next worker and completes once, leaving no duplicate rows."""

import re
import signal

import psycopg
import pytest
from django.db import connection

from portfolio.models import VelocitySnapshot
from portfolio.tasks import velocity_recompute_department
from tests.support.jobs import broker, in_pilot, spawn_worker, stop, wait_until, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_task_is_redelivered_and_completes_once(
    require_postgres, redis_url, department, head, tmp_path
):
    in_pilot(department, head, "A", 4)
    in_pilot(department, head, "B", 9)
    VelocitySnapshot.objects.all().delete()
    name = connection.settings_dict["NAME"]
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    env = worker_env(
        redis_url, CELERY_VISIBILITY_TIMEOUT="3", CELERY_VISIBILITY_TIMEOUT_BELOW_LIMITS="1"
    )
    # Hold the snapshot table so the task blocks inside its transaction: "mid-task".
    blocker = psycopg.connect(dsn)
    blocker.execute("LOCK TABLE portfolio_velocitysnapshot IN EXCLUSIVE MODE")
    watcher = psycopg.connect(dsn, autocommit=True)
    first = second = None
    try:
        with broker(redis_url):
            velocity_recompute_department.delay(department_id=department.pk)
        first = spawn_worker(env, tmp_path / "first.log")
        stuck = wait_until(
            lambda: watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
                [name],
            ).fetchone(),
            what="the first worker to block inside the task",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        # The killed worker's session would commit nothing anyway; end it so it frees its slot.
        watcher.execute("SELECT pg_terminate_backend(%s)", [stuck[0]])
        blocker.rollback()

        second = spawn_worker(env, tmp_path / "second.log")
        scope = f"department:{department.pk}"
        wait_until(
            lambda: VelocitySnapshot.objects.filter(scope=scope, measure="trend:intake").exists(),
            what="the redelivered task to complete",
        )
    finally:
        blocker.close()
        for worker in (first, second):
            if worker is not None:
                stop(worker)
        watcher.close()

    assert first.returncode == -signal.SIGKILL
    task = "portfolio.tasks.velocity_recompute_department"
    (task_id,) = re.findall(
        rf"{task}\[([0-9a-f-]+)\] received", (tmp_path / "first.log").read_text()
    )
    second_log = (tmp_path / "second.log").read_text()
    # The same message, redelivered, completed by the second worker; and only once.
    assert second_log.count(f"{task}[{task_id}] succeeded") == 1
    rows = VelocitySnapshot.objects.filter(scope=scope).order_by("measure", "position")
    assert [(r.measure, r.use_case.title if r.use_case else None, r.label) for r in rows] == [
        ("intake", "A", "first"),
        ("intake", "B", "slower"),
        ("trend:intake", None, "insufficient"),
    ]
