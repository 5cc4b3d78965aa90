"""Jobs through a real Celery worker on a real Redis: the schedule, idempotent reruns, and a
broker outage during a web request."""

import time

import pytest
from django.conf import settings

from core.models import PendingJob
from portfolio import services
from portfolio.models import TransitionRecord, UseCase, VelocitySnapshot
from portfolio.tasks import (
    pending_jobs_replay,
    scopes_refresh_task,
    velocity_recompute_all,
)
from tests import factories
from tests.support.jobs import (
    broker,
    free_port,
    in_pilot,
    private_redis,
    reset_connections,
    worker_on,
)
from tests.support.velocity import Authorisation

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def snapshot_rows():
    return list(VelocitySnapshot.objects.order_by("scope", "measure", "use_case_id").values())


def test_the_beat_schedule_names_only_tasks_the_worker_runs(redis_url):
    with broker(redis_url) as app, worker_on(app) as (worker, _):
        consumed = set(worker.consumer.strategies)

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= consumed
    assert {
        "portfolio.tasks.flags_sweep_all",
        "portfolio.tasks.velocity_recompute_all",
        "governance.tasks.watch_sweep",
    } <= scheduled


def test_a_task_run_twice_by_the_worker_leaves_identical_snapshots(redis_url, department, head):
    in_pilot(department, head, "A", 4)
    in_pilot(department, head, "B", 9)
    VelocitySnapshot.objects.all().delete()

    with broker(redis_url) as app, worker_on(app) as (_, finished):
        velocity_recompute_all.delay()
        assert finished.wait_for(velocity_recompute_all.name) == ["SUCCESS"]
        first = snapshot_rows()
        velocity_recompute_all.delay()
        assert finished.wait_for(velocity_recompute_all.name, 2) == ["SUCCESS", "SUCCESS"]

    assert snapshot_rows() == first
    assert [(r["measure"], r["label"]) for r in first if r["scope"] == "portfolio"] == [
        ("intake", "first"),
        ("intake", "slower"),
        ("trend:intake", "insufficient"),
    ]


def test_with_redis_down_a_transition_commits_and_the_work_runs_when_it_returns(
    require_redis, department, head
):
    use_case = services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head
    )
    port = free_port()
    with broker(f"redis://127.0.0.1:{port}/0") as app:
        started = time.monotonic()
        services.use_case_advance(use_case=use_case, authorisation=Authorisation(), actor=head)
        elapsed = time.monotonic() - started
        print(f"transition with the broker down took {elapsed:.2f} s")

        assert UseCase.objects.get(pk=use_case.pk).state == "pilot"
        assert TransitionRecord.objects.filter(use_case=use_case).count() == 2
        # The refresh of every scope the use case is in (one job: its department's and the
        # portfolio's velocity, then the flags), kept for later.
        assert sorted(PendingJob.objects.values_list("task", "kwargs")) == [
            (
                "portfolio.tasks.scopes_refresh",
                {"department_id": department.pk, "use_case_id": use_case.pk},
            ),
        ]
        assert not VelocitySnapshot.objects.exists()

        with private_redis(port):
            reset_connections(app)
            with worker_on(app) as (_, finished):
                # What the beat does every minute: replay the pending work.
                pending_jobs_replay.delay()
                assert finished.wait_for(pending_jobs_replay.name) == ["SUCCESS"]
                assert finished.wait_for(scopes_refresh_task.name) == ["SUCCESS"]

    assert not PendingJob.objects.exists()
    # Its intake in the department's scope and in the portfolio's.
    scopes = VelocitySnapshot.objects.filter(use_case=use_case, measure="intake")
    assert sorted(scopes.values_list("scope", flat=True)) == [
        f"department:{department.pk}",
        "portfolio",
    ]
