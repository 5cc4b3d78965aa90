"""The set-based SQL that production runs is held to the pure-Python reference of the same
rules (tests/reference_velocity.py) on generated histories: holds, kills, ties, stages."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.models import VelocitySnapshot
from portfolio.services.velocity import velocity_recompute
from portfolio.trend import MEASURES
from tests import factories, reference_velocity
from tests.support.velocity import walk

T0 = datetime(2025, 1, 1, tzinfo=UTC)

# One stage: (hours spent in it, an optional hold taken in it as (after hours, for hours)).
stage = st.tuples(
    st.integers(min_value=1, max_value=2000),
    st.none() | st.tuples(st.integers(0, 500), st.integers(1, 500)),
)
history = st.tuples(
    st.integers(min_value=0, max_value=72),  # hours after the previous submission
    st.lists(stage, min_size=0, max_size=3),  # submitted, pilot, scale stages completed
    st.sampled_from(["stay", "kill"]),
)


def steps_of(submitted_at: datetime, stages, ending: str) -> list[tuple[str, datetime]]:
    steps = [("submit", submitted_at)]
    moment = submitted_at
    for hours, hold in stages:
        if hold is not None:
            after, length = hold
            steps += [
                ("hold", moment + timedelta(hours=min(after, hours - 1) + 0.5)),
                ("resume", moment + timedelta(hours=min(after, hours - 1) + 0.5 + length)),
            ]
            moment += timedelta(hours=length)
        moment += timedelta(hours=hours)
        steps.append(("advance", moment))
    if ending == "kill":
        steps.append(("kill", moment + timedelta(hours=1)))
    return steps


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(history, min_size=1, max_size=5))
def test_sql_durations_and_labels_equal_the_reference(db, histories):
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    submitted_at = T0
    cases = []
    for gap, stages, ending in histories:
        submitted_at += timedelta(hours=gap)
        use_case = factories.UseCaseFactory(department=department)
        cases.append(walk(use_case, head, steps_of(submitted_at, stages, ending)))

    velocity_recompute(department_id=department.pk)

    for measure in MEASURES:
        expected = []
        for use_case in sorted(cases, key=lambda c: (c.submitted_at, c.pk)):
            records = use_case.transitions.order_by("at", "id").values_list(
                "transition", "from_state", "to_state", "at"
            )
            duration = reference_velocity.durations(reference_velocity.stage_times(records))
            if measure in duration:
                expected.append((use_case.pk, duration[measure].days, duration[measure].hold_days))
        labels = reference_velocity.label_sequence([days for _, days, _ in expected])
        stored = VelocitySnapshot.objects.filter(
            scope=f"department:{department.pk}", measure=measure, use_case__isnull=False
        ).order_by("position")
        assert [(r.use_case_id, r.value, r.hold_days, r.label) for r in stored] == [
            (pk, days, hold, label.label)
            for (pk, days, hold), label in zip(expected, labels, strict=True)
        ]
