"""Flags raised and cleared by the sweep, with history and notifications; the diagnostic as
read from the database; pending work recorded when the broker is down."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.jobs import pending_job_record, send_or_record
from core.models import PendingJob
from portfolio import selectors_diagnostic, selectors_hygiene
from portfolio.choices import ArtifactKind, ArtifactStatus, Cadence
from portfolio.models import (
    Flag,
    FlagKind,
    Metric,
    Notification,
    UseCase,
    VelocitySnapshot,
)
from portfolio.services.flags import flags_reconcile, flags_sweep
from portfolio.services.velocity import velocity_recompute
from portfolio.tasks import velocity_recompute_department
from tests import factories
from tests.support.velocity import at, walk

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_reconcile_raises_once_and_notifies_owner_and_head(use_case, head):
    flags_reconcile(kind=FlagKind.STALE_METRICS, causes={use_case.pk: "not read"}, at=NOW)
    again = flags_reconcile(kind=FlagKind.STALE_METRICS, causes={use_case.pk: "not read"}, at=NOW)

    flag = Flag.objects.get(use_case=use_case)
    assert (flag.kind, flag.reason, flag.cleared_at) == ("stale_metrics", "not read", None)
    assert again.raised == 0
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {use_case.outcome_owner.username, head.username}


def test_reconcile_clears_a_flag_whose_cause_is_gone_and_keeps_it(use_case):
    flags_reconcile(kind=FlagKind.STALE_METRICS, causes={use_case.pk: "not read"}, at=NOW)

    result = flags_reconcile(kind=FlagKind.STALE_METRICS, causes={}, at=NOW + timedelta(days=1))

    flag = Flag.objects.get(use_case=use_case)
    assert result.cleared == 1
    assert flag.cleared_at == NOW + timedelta(days=1)


def test_a_cause_that_returns_raises_a_new_flag(use_case):
    flags_reconcile(kind=FlagKind.STALE_METRICS, causes={use_case.pk: "first"}, at=NOW)
    flags_reconcile(kind=FlagKind.STALE_METRICS, causes={}, at=NOW + timedelta(days=1))
    flags_reconcile(
        kind=FlagKind.STALE_METRICS, causes={use_case.pk: "again"}, at=NOW + timedelta(days=2)
    )

    history = list(Flag.objects.filter(use_case=use_case).order_by("raised_at"))
    assert [(f.reason, f.is_open) for f in history] == [("first", False), ("again", True)]


def test_a_scoped_reconcile_leaves_other_departments_alone(use_case, other_department):
    elsewhere = factories.UseCaseFactory(department=other_department)
    flags_reconcile(kind=FlagKind.STALE_METRICS, causes={elsewhere.pk: "x"}, at=NOW)

    flags_reconcile(
        kind=FlagKind.STALE_METRICS, causes={}, scope_use_case_ids=[use_case.pk], at=NOW
    )

    assert Flag.objects.get(use_case=elsewhere).is_open


def test_sweep_flags_a_use_case_slower_than_its_predecessor(slow_pilot, department):
    velocity_recompute(department_id=department.pk)

    flags_sweep(department_id=department.pk, at=NOW)

    flag = Flag.objects.get(kind=FlagKind.SLOWER_THAN_PREVIOUS)
    assert flag.use_case == slow_pilot
    assert flag.reason == "Intake time 10.0 days, 6.0 days slower than 'A'."


def test_slower_flag_clears_when_the_next_step_is_faster(slow_pilot, department, head):
    velocity_recompute(department_id=department.pk)
    flags_sweep(department_id=department.pk, at=NOW)
    walk(slow_pilot, head, [("advance", at(1, 13))])  # first to scale: nothing to compare

    velocity_recompute(department_id=department.pk)
    flags_sweep(department_id=department.pk, at=NOW + timedelta(hours=1))

    assert not Flag.objects.filter(kind=FlagKind.SLOWER_THAN_PREVIOUS, cleared_at=None).exists()
    assert Flag.objects.filter(kind=FlagKind.SLOWER_THAN_PREVIOUS).count() == 1


def test_sweep_raises_stall_for_three_red_lines_of_work_in_flight(department, head):
    stalled = factories.UseCaseFactory(department=department)
    walk(stalled, head, [("submit", at(1, 1)), ("advance", at(1, 2))])
    just_submitted = factories.UseCaseFactory(department=department)
    walk(just_submitted, head, [("submit", at(1, 1))])
    # In pilot the owner leaves and the data assessment is withdrawn; the same happens to a
    # use case only submitted, which is not in flight and gets no stall flag.
    UseCase.objects.filter(pk__in=[stalled.pk, just_submitted.pk]).update(
        outcome_owner=None, data_existing=""
    )

    flags_sweep(department_id=department.pk, at=NOW)

    flag = Flag.objects.get(kind=FlagKind.STALL_IN_PROGRESS)
    assert flag.use_case == stalled
    assert flag.reason.startswith("6 red diagnostic lines: Outcome ownership, Data and")


def test_sweep_flags_stale_metrics_after_twice_the_cadence(department, head, use_case):
    walk(use_case, head, [("submit", at(1, 1))])
    weekly = use_case.metrics.get(kind="business")
    factories.ReadingFactory(metric=weekly, measured_at=NOW - timedelta(days=15))
    technical = use_case.metrics.get(kind="technical")
    Metric.objects.filter(pk=technical.pk).update(cadence=Cadence.MONTHLY)
    factories.ReadingFactory(metric=technical, measured_at=NOW - timedelta(days=20))

    flags_sweep(department_id=department.pk, at=NOW)

    flag = Flag.objects.get(kind=FlagKind.STALE_METRICS)
    assert flag.reason == f"{weekly.name}: last read 2026-02-14 (cadence weekly, 14 days)."


def test_diagnostic_from_the_database_reads_every_source(department, head, use_case):
    walk(use_case, head, [("submit", at(1, 1)), ("advance", at(1, 2))])
    business = use_case.metrics.get(kind="business")
    for day in (1, 8, 15, 22):
        factories.ReadingFactory(metric=business, measured_at=at(2, day))
    factories.DataGapFactory(use_case=use_case, owner_committed=False, blocks_production=True)
    factories_artifact(use_case, ArtifactStatus.DRAFT)

    diagnostic = selectors_diagnostic.use_case_diagnostic(use_case_id=use_case.pk)

    colours = {line.key: line.colour for line in diagnostic.lines}
    assert colours == {
        "outcome_ownership": "green",
        "data_reality": "red",
        "metric_integrity": "green",
        "alignment": "red",
        "scale_plan": "yellow",
        "feedback_latency": "green",
    }


def test_diagnostic_ignores_readings_after_the_moment_asked(department, head, use_case):
    business = use_case.metrics.get(kind="business")
    for day in (1, 8, 15):
        factories.ReadingFactory(metric=business, measured_at=at(2, day))

    before = selectors_diagnostic.use_case_diagnostic(use_case_id=use_case.pk, at=at(2, 2))
    after = selectors_diagnostic.use_case_diagnostic(use_case_id=use_case.pk, at=at(3, 1))

    assert before.lines[5].colour == "red"
    assert after.lines[5].colour == "green"


@pytest.mark.parametrize("count", [6, 20])
def test_diagnostics_for_many_use_cases_take_six_queries(
    department, head, django_assert_max_num_queries, count
):
    # Five for the use cases and their records, one for the sign-off steps the organisation
    # configured (portfolio.selectors_sign_offs): the same for 6 and for 20 use cases.
    ids = [factories.UseCaseFactory(department=department).pk for _ in range(count)]

    with django_assert_max_num_queries(6):
        result = selectors_diagnostic.diagnostics_for(use_case_ids=ids)

    assert set(result) == set(ids)


def factories_artifact(use_case, status):
    from portfolio.models import Artifact

    return Artifact.objects.create(
        use_case=use_case, kind=ArtifactKind.SCALE_MEMO, status=status, content="memo"
    )


def test_pending_work_is_recorded_once_per_task_and_arguments(db):
    pending_job_record(task_name="portfolio.tasks.x", kwargs={"department_id": 1}, error="down")
    pending_job_record(task_name="portfolio.tasks.x", kwargs={"department_id": 1}, error="down")

    job = PendingJob.objects.get()
    assert (job.attempts, job.kwargs) == (2, {"department_id": 1})


def test_a_transition_enqueues_the_department_recompute_after_commit(
    department, head, use_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        walk(use_case, head, [("submit", at(1, 1)), ("advance", at(1, 3))])
    assert not VelocitySnapshot.objects.exists()

    for callback in callbacks:
        callback()

    row = VelocitySnapshot.objects.get(scope=f"department:{department.pk}", use_case=use_case)
    assert (row.measure, row.value) == ("intake", 2)


def test_the_eager_department_task_writes_snapshots_and_flags(slow_pilot, department):
    result = velocity_recompute_department.delay(department_id=department.pk).get()

    # A's and B's intake in the department and, since a change refreshes every scope its use
    # case is in, in the portfolio: 2 + 2 rows.
    assert result["duration_rows"] == 4
    assert Flag.objects.filter(kind=FlagKind.SLOWER_THAN_PREVIOUS, cleared_at=None).count() == 1


def test_send_or_record_sends_when_the_broker_answers(department):
    assert send_or_record(velocity_recompute_department, {"department_id": department.pk})
    assert not PendingJob.objects.exists()


def test_zombies_and_overrun_pilots(department, head):
    zombie = factories.UseCaseFactory(department=department, title="Zombie")
    walk(zombie, head, [("submit", timezone.now() - timedelta(days=200))])
    walk(zombie, head, [("hold", timezone.now() - timedelta(days=120))])
    overrun = factories.UseCaseFactory(department=department, title="Overrun")
    walk(
        overrun,
        head,
        [
            ("submit", timezone.now() - timedelta(days=150)),
            ("advance", timezone.now() - timedelta(days=100)),
        ],
    )

    assert list(selectors_hygiene.zombies()) == [zombie]
    spend = selectors_hygiene.pilot_overrun_spend()
    assert [u.title for u in spend["use_cases"]] == ["Overrun"]
    assert spend["total"] > 100000


def test_overrun_spend_is_summed_in_sql_one_day_either_side_of_the_time_box(department, head):
    """Build cost plus the run cost pro rata, worked out by hand: a 90-day time box."""
    pilot = factories.UseCaseFactory(
        department=department,
        title="Priced pilot",
        build_cost=Decimal("100000.00"),
        run_cost_yearly=Decimal("36500.00"),
        pilot_time_box_days=90,
    )
    walk(pilot, head, [("submit", at(1, 1)), ("advance", at(1, 11))])
    started = at(1, 11)

    inside = selectors_hygiene.pilot_overrun_spend(at=started + timedelta(days=89))
    beyond = selectors_hygiene.pilot_overrun_spend(at=started + timedelta(days=91))

    assert (inside["count"], inside["total"]) == (0, Decimal(0))
    # 100,000 + 36,500 x 91 / 365 = 109,100.00
    assert (beyond["count"], beyond["total"]) == (1, Decimal("109100.00"))
    assert beyond["by_department"] == {department.name: Decimal("109100.00")}
    assert [u.pk for u in beyond["use_cases"]] == [pilot.pk]
    assert round(beyond["use_cases"][0].days_in_pilot) == 91
