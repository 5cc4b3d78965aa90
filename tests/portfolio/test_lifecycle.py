"""The use-case lifecycle: every transition allowed and refused, and what a refusal says."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import IllegalTransition, UnauthorisedForwardMove
from portfolio import services
from portfolio.choices import State
from portfolio.models import TransitionRecord, UseCase
from tests import factories
from tests.factories import LESSON


def Authorisation(*, saved=True, grants=True):
    """A saved row that answers the GateAuthorisation protocol, standing in for a gate decision
    in these portfolio-only tests (the real decisions are tested in tests/governance)."""
    row = factories.DepartmentFactory() if saved else factories.DepartmentFactory.build()
    row.authorises_forward_move = lambda *, use_case: grants
    return row


def submitted(use_case, head):
    return services.use_case_submit(use_case=use_case, actor=head)


def force_to(use_case, head, *states):
    """Walk a use case forward through the given stages with a granting authorisation."""
    use_case = submitted(use_case, head)
    for _ in states:
        use_case = services.use_case_advance(
            use_case=use_case, authorisation=Authorisation(), actor=head
        )
    return use_case


def test_submit_moves_a_complete_draft_and_records_it(use_case, head):
    result = services.use_case_submit(use_case=use_case, actor=head)

    assert result.state == State.SUBMITTED
    assert result.submitted_at is not None
    record = TransitionRecord.objects.get(use_case=use_case)
    assert (record.from_state, record.to_state, record.actor) == ("draft", "submitted", head)


def test_submit_of_an_incomplete_intake_names_every_missing_item(department, head):
    draft = services.use_case_create(actor=head, department=department, title="Triage bot")

    with pytest.raises(ValidationError) as excinfo:
        services.use_case_submit(use_case=draft, actor=head)

    missing = excinfo.value.message_dict
    for field in (
        "problem_statement",
        "origin",
        "outcome_owner",
        "build_cost",
        "sponsor",
        "horizon",
        "knowledge",
        "risk_prohibited_practice",
        "metrics",
    ):
        assert field in missing, field
    assert UseCase.objects.get(pk=draft.pk).state == State.DRAFT
    assert not TransitionRecord.objects.filter(use_case=draft).exists()


def test_submit_refuses_an_unpaired_technical_metric(use_case, head):
    factories.MetricFactory(
        use_case=use_case,
        kind="technical",
        name="Adoption",
        baseline=None,
        target=None,
        paired_with=None,
    )

    with pytest.raises(ValidationError) as excinfo:
        services.use_case_submit(use_case=use_case, actor=head)

    assert "Technical metric 'Adoption' must name" in str(excinfo.value.message_dict["metrics"])


def test_submit_by_another_departments_head_is_forbidden(use_case, other_head):
    with pytest.raises(PermissionDenied):
        services.use_case_submit(use_case=use_case, actor=other_head)


def test_submit_twice_is_a_conflict_naming_allowed_transitions(use_case, head):
    submitted(use_case, head)

    with pytest.raises(IllegalTransition) as excinfo:
        services.use_case_submit(use_case=use_case, actor=head)

    assert excinfo.value.status_code == 409
    assert excinfo.value.extra["allowed_transitions"] == ["hold", "kill"]
    assert "allowed now: hold, kill" in excinfo.value.message


@pytest.mark.parametrize(
    ("stages", "expected"),
    [((), State.PILOT), (("pilot",), State.SCALE), (("pilot", "scale"), State.EXTEND)],
)
def test_forward_move_with_an_authorising_decision(use_case, head, stages, expected):
    use_case = force_to(use_case, head, *stages)

    moved = services.use_case_advance(use_case=use_case, authorisation=Authorisation(), actor=head)

    assert moved.state == expected
    record = TransitionRecord.objects.filter(use_case=use_case).last()
    assert record.to_state == expected
    assert record.authorisation_id is not None


@pytest.mark.parametrize("authorisation", ["none", "unsaved", "refusing"])
def test_forward_move_without_an_authorising_decision_is_refused(use_case, head, authorisation):
    use_case = submitted(use_case, head)
    authorisation = {
        "none": None,
        "unsaved": Authorisation(saved=False),
        "refusing": Authorisation(grants=False),
    }[authorisation]

    with pytest.raises(UnauthorisedForwardMove):
        services.use_case_advance(use_case=use_case, authorisation=authorisation, actor=head)

    assert UseCase.objects.get(pk=use_case.pk).state == State.SUBMITTED
    assert TransitionRecord.objects.filter(use_case=use_case).count() == 1


def test_forward_move_from_a_draft_is_illegal(use_case, head):
    with pytest.raises(IllegalTransition):
        services.use_case_advance(use_case=use_case, authorisation=Authorisation(), actor=head)


def test_forward_moves_are_never_offered_to_a_person(use_case, head, admin_user):
    use_case = submitted(use_case, head)

    assert "advance_to_pilot" not in services.available_transitions(use_case=use_case, user=head)
    assert "advance_to_pilot" not in services.available_transitions(
        use_case=use_case, user=admin_user
    )


def test_state_cannot_be_assigned(use_case):
    loaded = UseCase.objects.get(pk=use_case.pk)

    with pytest.raises(AttributeError):
        loaded.state = State.EXTEND


def test_state_cannot_be_bulk_written(use_case):
    with pytest.raises(AttributeError):
        UseCase.objects.filter(pk=use_case.pk).update(state=State.EXTEND)

    assert UseCase.objects.get(pk=use_case.pk).state == State.DRAFT


@pytest.mark.parametrize("stage", ["submitted", "pilot", "scale", "extend"])
def test_hold_and_resume_return_to_the_stage_left(use_case, head, stage):
    stages = {"submitted": (), "pilot": ("p",), "scale": ("p", "s"), "extend": ("p", "s", "e")}
    use_case = force_to(use_case, head, *stages[stage])

    held = services.use_case_hold(use_case=use_case, actor=head, reason="budget freeze")
    assert (held.state, held.state_before_hold) == (State.ON_HOLD, stage)
    resumed = services.use_case_resume(use_case=held, actor=head)

    assert resumed.state == stage
    assert list(
        TransitionRecord.objects.filter(use_case=use_case).values_list("to_state", flat=True)
    )[-2:] == ["on_hold", stage]


def test_hold_is_refused_for_a_draft(use_case, head):
    with pytest.raises(IllegalTransition) as excinfo:
        services.use_case_hold(use_case=use_case, actor=head)

    assert excinfo.value.extra["allowed_transitions"] == ["submit"]


def test_resume_is_refused_unless_on_hold(use_case, head):
    use_case = submitted(use_case, head)

    with pytest.raises(IllegalTransition):
        services.use_case_resume(use_case=use_case, actor=head)


def test_kill_needs_a_reason(use_case, head):
    use_case = submitted(use_case, head)

    with pytest.raises(ValidationError) as excinfo:
        services.use_case_kill(use_case=use_case, actor=head, reason="  ")

    assert "reason" in excinfo.value.message_dict
    assert UseCase.objects.get(pk=use_case.pk).state == State.SUBMITTED


def test_kill_is_terminal(use_case, head):
    use_case = submitted(use_case, head)
    killed = services.use_case_kill(use_case=use_case, actor=head, reason="No data", lesson=LESSON)

    assert killed.state == State.KILLED
    assert services.available_transitions(use_case=killed, user=head) == []
    with pytest.raises(IllegalTransition) as excinfo:
        services.use_case_resume(use_case=killed, actor=head)
    assert excinfo.value.extra["allowed_transitions"] == []


def test_kill_from_hold(use_case, head):
    use_case = services.use_case_hold(use_case=submitted(use_case, head), actor=head)

    assert (
        services.use_case_kill(use_case=use_case, actor=head, reason="zombie", lesson=LESSON).state
        == "killed"
    )


@pytest.mark.parametrize("stages", [("p", "s"), ("p", "s", "e")])
def test_retire_a_live_use_case(use_case, head, stages):
    use_case = force_to(use_case, head, *stages)

    retired = services.use_case_retire(use_case=use_case, actor=head, lesson=LESSON)

    assert retired.state == State.RETIRED


@pytest.mark.parametrize("stages", [(), ("p",)])
def test_retire_is_refused_before_scale(use_case, head, stages):
    use_case = force_to(use_case, head, *stages)

    with pytest.raises(IllegalTransition):
        services.use_case_retire(use_case=use_case, actor=head, lesson=LESSON)


def test_executive_may_not_change_the_lifecycle(use_case, head, executive):
    use_case = submitted(use_case, head)

    with pytest.raises(PermissionDenied):
        services.use_case_hold(use_case=use_case, actor=executive)


def test_administrator_may_hold(use_case, head, admin_user):
    use_case = submitted(use_case, head)

    assert services.use_case_hold(use_case=use_case, actor=admin_user).state == State.ON_HOLD
