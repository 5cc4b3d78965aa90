"""Portfolio rules pinned one unit either side, each found unpinned by mutation testing
(`make mutation`): an imported move dated exactly now or a microsecond after, a move dated
with its predecessor, the hold and resume walk; the trends of one department only; a
slower-than-previous flag raised at once when its cause appears."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from portfolio.choices import State, Transition
from portfolio.models import Flag, FlagKind, VelocitySnapshot
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope
from portfolio.selectors_velocity import velocity_trends
from portfolio.services.flag_refresh import use_case_flags_refresh
from portfolio.services.flags import slower_than_previous_causes
from portfolio.services.transition_import import ImportedMove, history_replay
from tests import factories

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
TICK = dt.timedelta(microseconds=1)
DAY = dt.timedelta(days=1)


def replay(*moves, state=State.DRAFT, after=None, before_hold=""):
    return history_replay(
        state=state,
        state_before_hold=before_hold,
        moves=[ImportedMove(transition, at) for transition, at in moves],
        after=after,
        now=NOW,
    )


def test_an_imported_move_dated_exactly_now_is_taken_and_a_microsecond_later_refused():
    taken = replay((Transition.SUBMIT, NOW))
    assert (taken.state, taken.submitted_at, taken.last_at) == (State.SUBMITTED, NOW, NOW)

    with pytest.raises(ValidationError) as refused:
        replay((Transition.SUBMIT, NOW + TICK))
    assert refused.value.code == Transition.SUBMIT
    assert "is in the future" in refused.value.message


def test_a_move_dated_with_the_one_before_is_taken_and_a_microsecond_earlier_refused():
    day = NOW - 10 * DAY
    same = replay((Transition.SUBMIT, day), (Transition.ADVANCE_TO_PILOT, day))
    assert (same.state, same.pilot_at) == (State.PILOT, day)
    assert replay((Transition.SUBMIT, day), after=day).state == State.SUBMITTED

    with pytest.raises(ValidationError, match="dated before the move it follows") as refused:
        replay((Transition.SUBMIT, day), (Transition.ADVANCE_TO_PILOT, day - TICK))
    assert refused.value.code == Transition.ADVANCE_TO_PILOT
    with pytest.raises(ValidationError, match="dated before the move it follows") as refused:
        replay((Transition.SUBMIT, day), after=day + TICK)
    assert refused.value.code == Transition.SUBMIT


def test_a_replay_without_a_submission_or_a_pilot_dates_neither():
    moved = history_replay(
        state=State.PILOT,
        moves=[ImportedMove(Transition.ADVANCE_TO_SCALE, NOW - DAY)],
        now=NOW,
    )
    assert (moved.state, moved.state_before_hold) == (State.SCALE, "")
    assert moved.submitted_at is None
    assert moved.pilot_at is None
    assert moved.last_at == NOW - DAY
    nothing = history_replay(state=State.DRAFT, moves=[], now=NOW)
    assert (nothing.state, nothing.last_at, nothing.steps) == (State.DRAFT, None, ())


def test_hold_and_resume_return_to_the_stage_held_from_and_record_each_step():
    start = NOW - 30 * DAY
    result = replay(
        (Transition.SUBMIT, start),
        (Transition.ADVANCE_TO_PILOT, start + DAY),
        (Transition.HOLD, start + 2 * DAY),
        (Transition.RESUME, start + 3 * DAY),
        (Transition.ADVANCE_TO_SCALE, start + 4 * DAY),
    )
    assert result.state == State.SCALE
    assert result.state_before_hold == ""
    assert (result.submitted_at, result.pilot_at) == (start, start + DAY)
    assert [(step[1], step[2]) for step in result.steps] == [
        (State.DRAFT, State.SUBMITTED),
        (State.SUBMITTED, State.PILOT),
        (State.PILOT, State.ON_HOLD),
        (State.ON_HOLD, State.PILOT),
        (State.PILOT, State.SCALE),
    ]
    held = replay((Transition.HOLD, start), state=State.PILOT)
    assert (held.state, held.state_before_hold) == (State.ON_HOLD, State.PILOT)
    resumed = replay((Transition.RESUME, start), state=State.ON_HOLD, before_hold=State.SCALE)
    assert (resumed.state, resumed.state_before_hold) == (State.SCALE, "")


def test_a_move_the_lifecycle_does_not_allow_from_there_is_refused():
    with pytest.raises(ValidationError, match="cannot follow 'Draft'") as refused:
        replay((Transition.ADVANCE_TO_SCALE, NOW))
    assert refused.value.code == Transition.ADVANCE_TO_SCALE
    with pytest.raises(ValidationError, match="'teleport' is not a lifecycle move") as refused:
        replay(("teleport", NOW))
    assert refused.value.code == "invalid"


def trend(scope: str, measure: str, department=None) -> VelocitySnapshot:
    return VelocitySnapshot.objects.create(
        scope=scope, measure=measure, department=department, label="steady", streak=0
    )


def test_velocity_trends_are_the_departments_own_rows_and_only_trend_rows(
    department, other_department, django_assert_num_queries
):
    # Written out of measure order, so only the ordering puts them in it.
    own_pilot = trend(department_scope(department.pk), "trend:pilot", department)
    own = trend(department_scope(department.pk), "trend:intake", department)
    other = trend(department_scope(other_department.pk), "trend:intake", other_department)
    portfolio = trend(PORTFOLIO_SCOPE, "trend:intake")
    use_case = factories.UseCaseFactory(department=department)
    VelocitySnapshot.objects.create(  # a duration row, not a trend
        scope=department_scope(department.pk), measure="intake", use_case=use_case, value=3
    )
    VelocitySnapshot.objects.create(  # a trend-like measure of a use case is not a trend row
        scope=department_scope(department.pk), measure="trend:intake", use_case=use_case
    )

    VelocitySnapshot.objects.create(  # a figure of the department that is not a trend
        scope=department_scope(department.pk), measure="intake", value=3
    )

    assert list(velocity_trends(department_id=department.pk)) == [own, own_pilot]
    assert list(velocity_trends()) == [portfolio]
    # Every scope, by scope then measure ("department:<id>" sorts before "portfolio").
    expected = sorted([own, own_pilot, other, portfolio], key=lambda r: (r.scope, r.measure))
    assert list(velocity_trends(all_scopes=True)) == expected
    with django_assert_num_queries(1):  # each row's department comes with it
        names = [row.department and row.department.name for row in velocity_trends()]
    assert names == [None]
    with django_assert_num_queries(1):
        names = [row.department.name for row in velocity_trends(department_id=department.pk)]
    assert names == [department.name, department.name]


@pytest.fixture
def in_pilot(department, head):
    """A use case in pilot (its intake duration is the latest completed step) and the one
    submitted before it."""
    before = factories.submitted(department, head, at=NOW - 40 * DAY)
    use_case = factories.submitted(department, head, at=NOW - 30 * DAY)
    use_case.record_imported_history(to_state=State.PILOT)
    use_case.save()
    return use_case, before


def slower_row(use_case, before, *, label="slower", measure="intake"):
    return VelocitySnapshot.objects.create(
        scope=department_scope(use_case.department_id),
        measure=measure,
        use_case=use_case,
        department_id=use_case.department_id,
        value=Decimal("12.5"),
        previous_use_case=before,
        previous_value=Decimal("9"),
        difference_days=Decimal("3.5"),
        label=label,
    )


def open_kinds(use_case) -> set:
    return set(
        Flag.objects.filter(use_case=use_case, cleared_at=None).values_list("kind", flat=True)
    )


def test_slower_than_previous_is_raised_at_once_with_its_reason(in_pilot):
    use_case, before = in_pilot
    slower_row(use_case, before)

    results = use_case_flags_refresh(use_case_id=use_case.pk, at=NOW)

    assert FlagKind.SLOWER_THAN_PREVIOUS in open_kinds(use_case)
    flag = Flag.objects.get(use_case=use_case, kind=FlagKind.SLOWER_THAN_PREVIOUS)
    # 12.5 days against the predecessor's 9: 3.5 days slower.
    assert flag.reason == f"Intake time 12.5 days, 3.5 days slower than '{before.title}'."
    assert flag.raised_at == NOW
    assert results[FlagKind.SLOWER_THAN_PREVIOUS].raised == 1
    assert FlagKind.SLOWER_THAN_PREVIOUS not in open_kinds(before)


def test_a_faster_step_or_an_older_step_raises_nothing(in_pilot):
    use_case, before = in_pilot
    slower_row(use_case, before, label="faster")
    slower_row(use_case, before, measure="to_scale")  # not the latest step of a pilot

    use_case_flags_refresh(use_case_id=use_case.pk, at=NOW)

    assert FlagKind.SLOWER_THAN_PREVIOUS not in open_kinds(use_case)


def test_the_refresh_of_a_use_case_that_is_gone_does_nothing(db):
    assert use_case_flags_refresh(use_case_id=10**9, at=NOW) == {}


def at_state(department, head, state, days_ago):
    use_case = factories.submitted(department, head, at=NOW - days_ago * DAY)
    use_case.record_imported_history(to_state=state)
    use_case.save()
    return use_case


def test_slower_than_previous_reads_only_the_latest_steps_of_department_sequences(
    department, other_department, head, other_head
):
    before = at_state(department, head, State.SCALE, 60)
    scaled = at_state(department, head, State.SCALE, 50)
    piloting = at_state(department, head, State.PILOT, 40)
    waiting = at_state(department, head, State.SUBMITTED, 30)
    elsewhere = at_state(other_department, other_head, State.PILOT, 20)
    # A scaled use case's latest steps are its pilot and its time to scale; its intake is
    # older (it sorts first, and must not end the walk).
    slower_row(scaled, before, measure="intake")
    slower_row(scaled, before, measure="pilot")
    slower_row(scaled, before, measure="to_scale")
    slower_row(piloting, before)
    slower_row(waiting, before)  # submitted: no completed step to judge yet
    slower_row(elsewhere, before)
    # The same figure in the portfolio-wide sequence and in a monthly period: not counted.
    VelocitySnapshot.objects.create(
        scope=PORTFOLIO_SCOPE,
        measure="intake",
        use_case=piloting,
        value=1,
        difference_days=1,
        previous_use_case=before,
        label="slower",
    )
    VelocitySnapshot.objects.create(
        scope=department_scope(department.pk),
        period="2026-05",
        measure="intake",
        use_case=piloting,
        value=1,
        difference_days=1,
        previous_use_case=before,
        label="slower",
    )
    intake = f"Intake time 12.5 days, 3.5 days slower than '{before.title}'."
    scaled_reason = (
        f"Pilot time 12.5 days, 3.5 days slower than '{before.title}'. "
        f"Time to scale 12.5 days, 3.5 days slower than '{before.title}'."
    )

    assert slower_than_previous_causes() == {
        scaled.pk: scaled_reason,
        piloting.pk: intake,
        elsewhere.pk: intake,
    }
    assert slower_than_previous_causes(department_id=department.pk) == {
        scaled.pk: scaled_reason,
        piloting.pk: intake,
    }
    assert slower_than_previous_causes(use_case_ids=[piloting.pk, waiting.pk]) == {
        piloting.pk: intake
    }
