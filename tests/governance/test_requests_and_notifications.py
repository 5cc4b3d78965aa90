"""Requesting a review, who hears about it, and who hears about the decision."""

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ConflictError
from gates.choices import Purpose, Recommendation, ReviewStatus
from gates.models import EvidenceSnapshot, GateReview
from governance import services
from portfolio.models import Notification
from tests import factories
from tests.support.governance import T0
from tests.support.voting import vote_all


def test_the_head_requests_a_review_for_the_gate_the_stage_needs(submitted_use_case, head, board):
    review = services.review_request(use_case=submitted_use_case, actor=head, at=T0)

    assert (review.gate, review.purpose, review.status) == ("G0", "advance", ReviewStatus.OPEN)
    assert (review.requested_by, review.requested_at) == (head, T0)
    snapshot = EvidenceSnapshot.objects.get(review=review)
    assert snapshot.recommendation == Recommendation.GO
    assert snapshot.taken_at == T0
    assert snapshot.criteria_set == review.criteria_set


def test_another_departments_head_may_not_request(submitted_use_case, other_head, board):
    with pytest.raises(PermissionDenied):
        services.review_request(use_case=submitted_use_case, actor=other_head)

    assert not GateReview.objects.exists()


def test_a_draft_has_no_gate(use_case, head, board):
    with pytest.raises(ConflictError) as excinfo:
        services.review_request(use_case=use_case, actor=head)

    assert excinfo.value.code == "no_gate"


def test_one_open_review_per_use_case(submitted_use_case, head, board):
    services.review_request(use_case=submitted_use_case, actor=head)

    with pytest.raises(ConflictError) as excinfo:
        services.review_request(use_case=submitted_use_case, actor=head)

    assert excinfo.value.code == "review_already_open"
    assert GateReview.objects.count() == 1


def test_without_a_board_there_is_no_review(submitted_use_case, head, default_criteria):
    with pytest.raises(ConflictError) as excinfo:
        services.review_request(use_case=submitted_use_case, actor=head)

    assert excinfo.value.code == "no_board"


def test_the_system_opens_a_re_review_only_for_a_live_stage(submitted_use_case, board):
    with pytest.raises(ConflictError):
        services.review_request(use_case=submitted_use_case, purpose=Purpose.RE_REVIEW)


def test_board_members_are_notified_and_emailed_after_commit(
    submitted_use_case, head, board, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.review_request(use_case=submitted_use_case, actor=head)

    recipients = set(
        Notification.objects.filter(kind="review_requested").values_list("recipient", flat=True)
    )
    assert recipients == {seat.user_id for seat in board[1]}
    review_mails = [m for m in mailoutbox if "review requested" in m.subject]
    assert sorted(m.to[0] for m in review_mails) == sorted(seat.user.email for seat in board[1])


def test_no_email_before_the_transaction_commits(submitted_use_case, head, board, mailoutbox):
    services.review_request(use_case=submitted_use_case, actor=head)

    assert Notification.objects.filter(kind="review_requested").count() == 3
    assert not [m for m in mailoutbox if "review requested" in m.subject]


def test_the_decision_notifies_heads_sponsor_and_outcome_owner(
    submitted_use_case, head, board, chair, django_capture_on_commit_callbacks, mailoutbox
):
    review = services.review_request(use_case=submitted_use_case, actor=head)
    vote_all(review, board[1])

    with django_capture_on_commit_callbacks(execute=True):
        services.review_close(review=review, actor=chair)

    recipients = set(
        Notification.objects.filter(kind="decision_made").values_list("recipient", flat=True)
    )
    expected = {head.pk, submitted_use_case.sponsor_id, submitted_use_case.outcome_owner_id}
    assert recipients == expected
    # Earlier notifications still waiting for the mail job (the sign-off request, the review
    # request) go in the same message: each person gets one message naming the decision.
    decision_mails = [m for m in mailoutbox if "G0 decision" in f"{m.subject} {m.body}"]
    assert sorted(m.to[0] for m in decision_mails) == sorted(
        u.email for u in (head, submitted_use_case.sponsor, submitted_use_case.outcome_owner)
    )


def test_an_administrator_may_request_too(submitted_use_case, admin_user, board):
    review = services.review_request(use_case=submitted_use_case, actor=admin_user)

    assert review.requested_by == admin_user


def test_a_board_member_sees_reviews_as_a_role(submitted_use_case, head, board):
    from core.roles import forget_roles, roles_of

    seat = factories.BoardMemberFactory(board=board[0])
    forget_roles(seat.user)

    assert roles_of(seat.user).boards == frozenset({board[0].pk})
