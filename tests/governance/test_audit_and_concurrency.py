"""The audit record is append-only; concurrent closers and voters get exactly one result."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from core.errors import ConflictError
from core.models import AppendOnlyError
from gates.models import EvidenceSnapshot, GateReview
from gates.services import criteria_defaults_load
from governance import services
from governance.models import Decision, Delegation, Recusal, Vote
from portfolio import services as portfolio_services
from portfolio.models import TransitionRecord, UseCase
from tests import factories
from tests.support.concurrency import run_at_once
from tests.support.governance import SUBMITTED_AT, T0
from tests.support.voting import vote_all


@pytest.fixture
def decided(submitted_use_case, head, board, chair):
    review = services.review_request(use_case=submitted_use_case, actor=head, at=T0)
    services.vote_recuse(review=review, actor=board[1][2].user, reason="Conflict.")
    services.delegation_create(
        delegator=board[1][2], delegate=board[1][1], starts_at=T0, ends_at=T0 + dt.timedelta(1)
    )
    vote_all(review, board[1][:2])
    return services.review_close(review=review, actor=chair, at=T0)


@pytest.mark.parametrize("model", [Vote, Decision, Recusal, Delegation, EvidenceSnapshot])
def test_saving_or_deleting_an_audit_row_raises(decided, model):
    row = model.objects.first()

    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.all().update(pk=row.pk)


@pytest.mark.parametrize(
    "table",
    [
        "governance_vote",
        "governance_decision",
        "governance_recusal",
        "governance_delegation",
        "gates_evidencesnapshot",
    ],
)
def test_the_database_refuses_to_change_the_audit_record(decided, require_postgres, table):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET id = id")


def prepared_review(voters=3):
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    criteria_defaults_load()
    _board, seats = factories.board_with(voters)
    use_case = portfolio_services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=SUBMITTED_AT
    )
    review = services.review_request(use_case=use_case, actor=head, at=T0)
    return review, seats


@pytest.mark.django_db(transaction=True)
def test_twenty_closers_at_once_make_one_decision_and_one_transition():
    review, seats = prepared_review()
    vote_all(review, seats)
    chair = seats[0].user

    results, errors = run_at_once(
        20,
        lambda: services.review_close(review=GateReview.objects.get(pk=review.pk), actor=chair),
    )

    assert len(results) == 1, errors
    assert len(errors) == 19
    assert all(isinstance(e, ConflictError) for e in errors), errors
    assert Decision.objects.filter(review=review).count() == 1
    moves = TransitionRecord.objects.filter(use_case=review.use_case_id, to_state="pilot")
    assert moves.count() == 1
    assert UseCase.objects.get(pk=review.use_case_id).state == "pilot"


@pytest.mark.django_db(transaction=True)
def test_twenty_double_votes_at_once_make_one_vote():
    review, seats = prepared_review()
    voter = seats[1].user

    results, errors = run_at_once(
        20,
        lambda: services.vote_cast(
            review=GateReview.objects.get(pk=review.pk), actor=voter, choice="go", comment="Go."
        ),
    )

    assert len(results) == 1, errors
    assert all(isinstance(e, ConflictError) for e in errors), errors
    assert Vote.objects.filter(review=review).count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_requests_at_once_open_one_review():
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    criteria_defaults_load()
    factories.board_with(3)
    use_case = portfolio_services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=SUBMITTED_AT
    )

    results, errors = run_at_once(
        20,
        lambda: services.review_request(use_case=UseCase.objects.get(pk=use_case.pk), actor=head),
    )

    assert len(results) == 1, errors
    assert all(isinstance(e, ConflictError) for e in errors), errors
    assert GateReview.objects.filter(use_case=use_case).count() == 1
