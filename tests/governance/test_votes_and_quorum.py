"""Votes, recusals, delegations and the quorum rule, with its edge cases."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import ConflictError
from governance import services
from governance.models import Recusal, Vote
from governance.quorum import quorum_required
from governance.services import QuorumNotReached
from portfolio import services as portfolio_services
from portfolio.choices import State
from tests import factories
from tests.support.governance import SUBMITTED_AT, T0
from tests.support.voting import fresh, vote_all


def open_review(department, head, voting, **board_fields):
    _board, seats = factories.board_with(voting, name=f"Board of {voting}", **board_fields)
    use_case = portfolio_services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=SUBMITTED_AT
    )
    return services.review_request(use_case=use_case, actor=head, at=T0), seats


@pytest.mark.parametrize(
    ("electorate", "minimum", "required"),
    [(1, 0, 1), (2, 0, 2), (3, 0, 2), (4, 0, 3), (5, 0, 3), (5, 4, 4), (3, 5, 5)],
)
def test_quorum_is_a_majority_of_the_electorate_and_at_least_the_minimum(
    electorate, minimum, required
):
    assert quorum_required(electorate=electorate, minimum=minimum) == required


@pytest.mark.usefixtures("default_criteria")
def test_exactly_a_majority_closes(department, head):
    review, seats = open_review(department, head, 5)
    vote_all(review, seats[:2])
    with pytest.raises(QuorumNotReached) as excinfo:
        services.review_close(review=review, actor=seats[0].user)
    assert excinfo.value.extra == {"votes": 2, "required": 3}

    vote_all(review, seats[2:3])
    decision = services.review_close(review=review, actor=seats[0].user)

    assert (decision.votes_cast, decision.electorate, decision.verdict) == (3, 5, "go")
    assert fresh(review.use_case).state == State.PILOT


@pytest.mark.usefixtures("default_criteria")
def test_one_short_of_majority_on_an_even_board_does_not_close(department, head):
    review, seats = open_review(department, head, 4)
    vote_all(review, seats[:2])

    with pytest.raises(QuorumNotReached):
        services.review_close(review=review, actor=seats[0].user)


@pytest.mark.usefixtures("default_criteria")
def test_the_configured_minimum_raises_the_quorum(department, head):
    review, seats = open_review(department, head, 5, quorum_minimum=4)
    vote_all(review, seats[:3])

    with pytest.raises(QuorumNotReached):
        services.review_close(review=review, actor=seats[0].user)
    vote_all(review, seats[3:4])
    assert services.review_close(review=review, actor=seats[0].user).votes_cast == 4


@pytest.mark.usefixtures("default_criteria")
def test_a_member_of_the_department_is_recused_automatically(department, head):
    _board, seats = factories.board_with(4, name="Board with a conflict")
    factories.MembershipFactory(user=seats[3].user, department=department, role="member")
    use_case = portfolio_services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=SUBMITTED_AT
    )

    review = services.review_request(use_case=use_case, actor=head, at=T0)

    recusal = Recusal.objects.get(review=review)
    assert (recusal.member, recusal.automatic) == (seats[3], True)
    with pytest.raises(PermissionDenied):
        services.vote_cast(review=review, actor=seats[3].user, choice="go", comment="Mine!")


@pytest.mark.usefixtures("default_criteria")
def test_recusals_shrink_the_electorate(department, head):
    review, seats = open_review(department, head, 4)
    services.vote_recuse(review=review, actor=seats[3].user, reason="I advised the team.")
    vote_all(review, seats[:2])  # 2 of an electorate of 3: a majority

    decision = services.review_close(review=review, actor=seats[0].user)

    assert (decision.electorate, decision.votes_cast) == (3, 2)


@pytest.mark.usefixtures("default_criteria")
def test_a_recused_member_cannot_vote_and_a_voter_cannot_recuse(department, head):
    review, seats = open_review(department, head, 3)
    services.vote_recuse(review=review, actor=seats[2].user, reason="Conflict.")
    vote_all(review, seats[1:2])

    with pytest.raises(PermissionDenied):
        services.vote_cast(review=review, actor=seats[2].user, choice="go", comment="x")
    with pytest.raises(ConflictError):
        services.vote_recuse(review=review, actor=seats[1].user, reason="Too late.")


@pytest.mark.usefixtures("default_criteria")
def test_a_delegated_vote_counts_for_the_delegator_and_shows_who_cast_it(department, head):
    review, seats = open_review(department, head, 3)
    services.delegation_create(
        delegator=seats[2],
        delegate=seats[1],
        starts_at=T0 - dt.timedelta(days=1),
        ends_at=T0 + dt.timedelta(days=7),
        actor=seats[2].user,
        reason="On leave.",
    )
    services.vote_cast(review=review, actor=seats[1].user, choice="go", comment="Own vote.", at=T0)
    delegated = services.vote_cast(
        review=review,
        actor=seats[1].user,
        choice="go",
        comment="For my colleague, as briefed.",
        on_behalf_of=seats[2],
        at=T0,
    )

    assert (delegated.member, delegated.cast_by, delegated.is_delegated) == (
        seats[2],
        seats[1].user,
        True,
    )
    decision = services.review_close(review=review, actor=seats[0].user, at=T0)
    assert decision.votes_cast == 2


@pytest.mark.usefixtures("default_criteria")
def test_a_delegation_outside_its_period_gives_no_vote(department, head):
    review, seats = open_review(department, head, 3)
    services.delegation_create(
        delegator=seats[2],
        delegate=seats[1],
        starts_at=T0 - dt.timedelta(days=10),
        ends_at=T0 - dt.timedelta(days=1),
    )

    with pytest.raises(PermissionDenied):
        services.vote_cast(
            review=review,
            actor=seats[1].user,
            choice="go",
            comment="x",
            on_behalf_of=seats[2],
            at=T0,
        )


@pytest.mark.usefixtures("default_criteria")
def test_the_delegator_keeps_their_own_vote_once(department, head):
    review, seats = open_review(department, head, 3)
    services.delegation_create(
        delegator=seats[2],
        delegate=seats[1],
        starts_at=T0 - dt.timedelta(days=1),
        ends_at=T0 + dt.timedelta(days=1),
    )
    services.vote_cast(review=review, actor=seats[2].user, choice="hold", comment="x", at=T0)

    with pytest.raises(ConflictError):
        services.vote_cast(
            review=review,
            actor=seats[1].user,
            choice="go",
            comment="y",
            on_behalf_of=seats[2],
            at=T0,
        )


def test_a_delegation_stays_within_one_board(db):
    _, seats = factories.board_with(2, name="A")
    _, others = factories.board_with(2, name="B")

    with pytest.raises(ValidationError):
        services.delegation_create(
            delegator=seats[0], delegate=others[0], starts_at=T0, ends_at=T0 + dt.timedelta(days=1)
        )


@pytest.mark.usefixtures("default_criteria")
def test_one_vote_per_member(department, head):
    review, seats = open_review(department, head, 3)
    vote_all(review, seats[:1])

    with pytest.raises(ConflictError) as excinfo:
        vote_all(review, seats[:1], "no_go")

    assert excinfo.value.code == "already_voted"
    assert Vote.objects.filter(review=review).count() == 1


@pytest.mark.usefixtures("default_criteria")
def test_a_vote_needs_a_comment_and_a_seat(department, head, other_head):
    review, seats = open_review(department, head, 3)

    with pytest.raises(ValidationError):
        services.vote_cast(review=review, actor=seats[0].user, choice="go", comment=" ")
    with pytest.raises(PermissionDenied):
        services.vote_cast(review=review, actor=other_head, choice="go", comment="I want in.")
    with pytest.raises(ValidationError):
        services.vote_cast(review=review, actor=seats[0].user, choice="maybe", comment="Hm.")


@pytest.mark.usefixtures("default_criteria")
def test_a_non_voting_member_does_not_vote_nor_count(department, head):
    review, seats = open_review(department, head, 3)
    observer = factories.BoardMemberFactory(board=seats[0].board, is_voting=False)

    with pytest.raises(PermissionDenied):
        services.vote_cast(review=review, actor=observer.user, choice="go", comment="x")
    vote_all(review, seats[:2])
    assert services.review_close(review=review, actor=seats[0].user).electorate == 3


@pytest.mark.usefixtures("default_criteria")
def test_the_board_covering_the_department_decides(department, head):
    factories.board_with(3, name="Portfolio")
    claims_board, claims_seats = factories.board_with(3, name="Claims board", covers_all=False)
    claims_board.departments.add(department)
    use_case = portfolio_services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=SUBMITTED_AT
    )
    review = services.review_request(use_case=use_case, actor=head, at=T0)

    vote_all(review, claims_seats[:2])
    decision = services.review_close(review=review, actor=claims_seats[0].user)

    assert decision.board == claims_board


@pytest.mark.usefixtures("default_criteria")
def test_a_conflicted_delegate_does_not_cast_a_delegated_vote(department, head):
    review, seats = open_review(department, head, 3)
    services.delegation_create(
        delegator=seats[2],
        delegate=seats[1],
        starts_at=T0 - dt.timedelta(days=1),
        ends_at=T0 + dt.timedelta(days=1),
    )
    services.vote_recuse(review=review, actor=seats[1].user, reason="I built the model.")

    with pytest.raises(PermissionDenied):
        services.vote_cast(
            review=review,
            actor=seats[1].user,
            choice="go",
            comment="For my colleague.",
            on_behalf_of=seats[2],
            at=T0,
        )
