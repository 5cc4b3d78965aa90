"""Closing a review: every outcome and its effect on the use case, overrides, conditions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import ConflictError
from gates.choices import Purpose, Recommendation, ReviewStatus
from gates.models import GateReview
from governance import services, watch
from governance.models import Condition, Decision
from portfolio import services as portfolio_services
from portfolio.choices import State
from portfolio.models import TransitionRecord, UseCase
from tests import factories
from tests.support.governance import SUBMITTED_AT, T0
from tests.support.voting import fresh, vote_all


@pytest.fixture
def review(submitted_use_case, head, board):
    return services.review_request(use_case=submitted_use_case, actor=head, at=T0)


def close(review, chair, seats, choice, **kwargs):
    vote_all(review, seats, choice)
    if choice == "no_go":
        kwargs.setdefault("lesson", factories.LESSON)
    return services.review_close(
        review=review, actor=chair, at=T0 + dt.timedelta(hours=30), **kwargs
    )


def test_go_moves_the_use_case_into_pilot_authorised_by_the_decision(review, chair, board):
    decision = close(review, chair, board[1], "go")

    use_case = fresh(review.use_case)
    assert use_case.state == State.PILOT
    record = TransitionRecord.objects.filter(use_case=use_case).last()
    assert (record.from_state, record.to_state) == (State.SUBMITTED, State.PILOT)
    assert record.authorisation == decision
    assert record.at == T0 + dt.timedelta(hours=30)
    assert GateReview.objects.get(pk=review.pk).status == ReviewStatus.DECIDED
    assert decision.recommendation == Recommendation.GO
    assert not decision.is_override


def test_decision_latency_comes_from_the_given_moments(review, chair, board):
    decision = close(review, chair, board[1], "go")

    assert decision.latency_hours == 30
    assert decision.decided_at - GateReview.objects.get(pk=review.pk).requested_at == dt.timedelta(
        hours=30
    )


def test_passing_g0_locks_the_goalposts(review, chair, board):
    close(review, chair, board[1], "go")

    assert fresh(review.use_case).metrics_locked_at == T0 + dt.timedelta(hours=30)


def test_no_go_kills_the_use_case_with_the_reason(review, chair, board):
    close(review, chair, board[1], "no_go", rationale="The data is not there.")

    use_case = fresh(review.use_case)
    assert use_case.state == State.KILLED
    assert (
        "The data is not there." in TransitionRecord.objects.filter(use_case=use_case).last().reason
    )


def test_hold_holds_the_use_case_to_resume_to_its_stage(review, chair, board):
    close(review, chair, board[1], "hold", rationale="Wait for the data migration.")

    use_case = fresh(review.use_case)
    assert use_case.state == State.ON_HOLD
    assert use_case.state_before_hold == State.SUBMITTED


def test_recycle_keeps_the_stage_and_allows_a_new_review(review, chair, board, head):
    close(review, chair, board[1], "recycle", rationale="Rework the business case.")

    use_case = fresh(review.use_case)
    assert use_case.state == State.SUBMITTED
    assert TransitionRecord.objects.filter(use_case=use_case).count() == 1
    again = services.review_request(use_case=use_case, actor=head, at=T0 + dt.timedelta(days=3))
    assert again.status == ReviewStatus.OPEN


def test_conditional_go_moves_forward_with_its_conditions(review, chair, board):
    due = dt.date(2025, 6, 1)
    decision = close(
        review,
        chair,
        board[1],
        "conditional_go",
        conditions=[{"text": "Sign the data-sharing agreement.", "due_date": due}],
    )

    assert fresh(review.use_case).state == State.PILOT
    assert fresh(review.use_case).metrics_locked_at is not None
    condition = Condition.objects.get(decision=decision)
    assert (condition.text, condition.due_date, condition.status) == (
        "Sign the data-sharing agreement.",
        due,
        "open",
    )


def test_conditional_go_without_conditions_is_refused(review, chair, board):
    with pytest.raises(ValidationError) as excinfo:
        close(review, chair, board[1], "conditional_go")

    assert "conditions" in excinfo.value.message_dict
    assert fresh(review.use_case).state == State.SUBMITTED


def test_a_condition_is_resolved_met_by_the_chair(review, chair, board):
    decision = close(
        review,
        chair,
        board[1],
        "conditional_go",
        conditions=[{"text": "Hire an operator.", "due_date": dt.date(2025, 5, 1)}],
    )
    condition = decision.conditions.get()

    resolved = services.condition_resolve(condition=condition, actor=chair, met=True)

    assert resolved.status == "met"
    with pytest.raises(ConflictError):
        services.condition_resolve(condition=condition, actor=chair, met=False)


def test_override_without_rationale_is_refused(review, chair, board):
    with pytest.raises(ValidationError) as excinfo:
        close(review, chair, board[1], "no_go")

    assert "rationale" in excinfo.value.message_dict
    assert not Decision.objects.exists()
    assert fresh(review.use_case).state == State.SUBMITTED
    assert GateReview.objects.get(pk=review.pk).status == ReviewStatus.OPEN


def test_override_with_rationale_is_flagged(review, chair, board):
    decision = close(review, chair, board[1], "no_go", rationale="Strategy changed.")

    assert decision.is_override
    assert decision.rationale == "Strategy changed."


def test_go_against_a_no_go_recommendation_is_an_override(department, head, board):
    # A resilient use case that names no scenarios fails a must-meet of its playbook.
    use_case = factories.UseCaseFactory(
        department=department, horizon="long", knowledge="hypotheses", scenarios=""
    )
    use_case = portfolio_services.use_case_submit(use_case=use_case, actor=head, at=SUBMITTED_AT)
    review = services.review_request(use_case=use_case, actor=head, at=T0)
    assert review.snapshots.get().recommendation == Recommendation.NO_GO

    vote_all(review, board[1], "go")
    chair = board[1][0].user
    with pytest.raises(ValidationError):
        services.review_close(review=review, actor=chair)
    decision = services.review_close(review=review, actor=chair, rationale="We accept the risk.")

    assert decision.is_override


def test_the_verdict_is_the_boards_vote(review, chair, board):
    vote_all(review, board[1], "go")

    with pytest.raises(ConflictError) as excinfo:
        services.review_close(review=review, actor=chair, verdict="hold", rationale="x")

    assert excinfo.value.code == "verdict_not_voted"
    assert excinfo.value.message == "The board voted GO; the decision records the board's vote."


def test_a_tie_needs_the_chair_to_name_the_verdict(department, head, default_criteria):
    _board, seats = factories.board_with(4, name="Even board")
    use_case = portfolio_services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head
    )
    review = services.review_request(use_case=use_case, actor=head)
    vote_all(review, seats[:2], "go")
    vote_all(review, seats[2:], "recycle")

    with pytest.raises(ConflictError) as excinfo:
        services.review_close(review=review, actor=seats[0].user)
    assert excinfo.value.code == "tied_vote"
    # The message names the verdicts as the ballot shows them; the codes stay in `tied`.
    assert excinfo.value.message == (
        "The votes are tied between GO and RECYCLE; the chair names the verdict."
    )
    assert excinfo.value.extra["tied"] == ["go", "recycle"]

    decision = services.review_close(
        review=review, actor=seats[0].user, verdict="recycle", rationale="Half the board doubts."
    )
    assert decision.verdict == "recycle"


def test_only_the_chair_closes(review, board):
    vote_all(review, board[1], "go")

    with pytest.raises(PermissionDenied):
        services.review_close(review=review, actor=board[1][1].user)


def test_closing_a_decided_review_is_a_conflict(review, chair, board):
    close(review, chair, board[1], "go")

    with pytest.raises(ConflictError):
        services.review_close(review=review, actor=chair)
    assert Decision.objects.count() == 1


def test_re_review_go_keeps_the_stage(review, chair, board):
    close(review, chair, board[1], "go")
    use_case = fresh(review.use_case)

    re_review = services.review_request(
        use_case=use_case, purpose=Purpose.RE_REVIEW, reason="Condition overdue."
    )
    assert re_review.requested_by is None
    assert re_review.gate == "G0"
    vote_all(re_review, board[1], "go")
    decision = services.review_close(review=re_review, actor=chair, rationale="Still sound.")

    assert fresh(use_case).state == State.PILOT
    assert not decision.authorises_forward_move(use_case=fresh(use_case))


def test_a_decision_authorises_only_its_own_use_case_at_its_gate(review, chair, board, department):
    decision = close(review, chair, board[1], "go")
    other = factories.UseCaseFactory(department=department)
    as_submitted = UseCase(pk=review.use_case_id, state=State.SUBMITTED)

    assert not decision.authorises_forward_move(use_case=UseCase(pk=other.pk, state="submitted"))
    assert not decision.authorises_forward_move(use_case=fresh(review.use_case))  # now in pilot
    assert not Decision(review=review, verdict="go").authorises_forward_move(use_case=as_submitted)
    assert decision.authorises_forward_move(use_case=as_submitted)


def test_a_no_go_decision_authorises_no_move(review, chair, board):
    decision = close(review, chair, board[1], "no_go", rationale="No.")
    as_submitted = UseCase(pk=review.use_case_id, state=State.SUBMITTED)

    assert not decision.authorises_forward_move(use_case=as_submitted)


def test_an_overdue_condition_opens_one_mandatory_re_review(review, chair, board):
    decision = close(
        review,
        chair,
        board[1],
        "conditional_go",
        conditions=[{"text": "Hire an operator.", "due_date": dt.date(2025, 4, 1)}],
    )
    condition = decision.conditions.get()
    assert services.condition_overdue_review(condition=condition, at=T0) is None  # not yet due

    later = dt.datetime(2025, 4, 2, 8, tzinfo=dt.UTC)
    assert watch.condition_overdue_causes(at=later)[review.use_case_id][1] == condition
    re_review = services.condition_overdue_review(condition=condition, at=later)

    assert (re_review.purpose, re_review.gate, re_review.requested_by) == ("re_review", "G0", None)
    assert "Hire an operator." in re_review.reason
    assert services.condition_overdue_review(condition=condition, at=later) is None


def test_a_live_use_case_is_due_for_re_review_after_six_months(review, chair, board, head):
    close(review, chair, board[1], "go")
    use_case = fresh(review.use_case)
    g1 = services.review_request(use_case=use_case, actor=head, at=T0 + dt.timedelta(days=40))
    vote_all(g1, board[1])
    services.review_close(
        review=g1, actor=chair, at=T0 + dt.timedelta(days=41), rationale="Scale it."
    )

    scaled = T0 + dt.timedelta(days=41)
    assert watch.re_review_due_causes(at=scaled + dt.timedelta(days=180)) == {}
    due = watch.re_review_due_causes(at=scaled + dt.timedelta(days=190))
    assert list(due) == [use_case.pk]
    services.review_request(
        use_case=use_case, purpose=Purpose.RE_REVIEW, at=scaled + dt.timedelta(days=190)
    )
    assert watch.re_review_due_causes(at=scaled + dt.timedelta(days=190)) == {}
