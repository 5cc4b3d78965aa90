"""Board members: the review queue, the review page, vote, recuse, close."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from governance import services as governance_services
from governance.models import Recusal, Vote
from portfolio.choices import State
from portfolio.models import UseCase
from tests import factories
from tests.support.console import open_review


def test_queue_lists_open_reviews_oldest_first_with_hours_waiting(client, chair, head, department):
    newer = open_review(department, head, hours_ago=5)
    older = open_review(department, head, hours_ago=60)
    client.force_login(chair)
    response = client.get(reverse("review-queue"))
    reviews = response.context["reviews"]
    assert [r.pk for r in reviews] == [older.pk, newer.pk]
    assert round(reviews[0].hours_waiting) == 60
    assert reviews[0].overdue and not reviews[1].overdue


def test_queue_is_for_board_members(client, head):
    client.force_login(head)
    assert client.get(reverse("review-queue")).status_code == 403


def test_queue_query_count_does_not_grow(
    client, chair, head, department, django_assert_max_num_queries
):
    open_review(department, head, hours_ago=1)
    client.force_login(chair)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("review-queue"))
    for hours in range(2, 8):
        open_review(department, head, hours_ago=hours)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("review-queue"))


def test_review_page_shows_the_scorecard_against_thresholds(client, chair, head, department):
    review = open_review(department, head, hours_ago=2)
    client.force_login(chair)
    response = client.get(reverse("review-detail", args=[review.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Recommendation:" in body
    assert response.context["snapshot"].rows
    assert response.context["may_vote"] and response.context["may_close"]


def test_review_page_is_not_for_people_off_the_board(client, head, department, board):
    review = open_review(department, head, hours_ago=2)
    client.force_login(factories.UserFactory())
    assert client.get(reverse("review-detail", args=[review.pk])).status_code == 403


def test_vote_with_comment_is_recorded(client, members, head, department):
    review = open_review(department, head, hours_ago=2)
    client.force_login(members[0])
    client.post(reverse("review-vote", args=[review.pk]), {"choice": "go", "comment": "Solid."})
    vote = Vote.objects.get(review=review)
    assert (vote.choice, vote.comment, vote.cast_by) == ("go", "Solid.", members[0])


def test_the_verdicts_are_one_labelled_group_each_choice_with_its_label(
    client, members, head, department
):
    review = open_review(department, head, hours_ago=2)
    client.force_login(members[0])
    html = client.get(reverse("review-detail", args=[review.pk])).content.decode()
    group = html[html.index('<fieldset class="vote-choices') : html.index("</fieldset>")]

    assert "<legend>Vote</legend>" in group
    for n, verdict in enumerate(["GO", "NO-GO", "HOLD", "RECYCLE", "CONDITIONAL GO"]):
        assert f'<label class="radio-card" for="id_choice_{n}">' in group
        assert f'id="id_choice_{n}"' in group
        assert verdict in group


def test_vote_without_comment_is_refused_with_the_reason(client, members, head, department):
    review = open_review(department, head, hours_ago=2)
    client.force_login(members[0])
    response = client.post(
        reverse("review-vote", args=[review.pk]), {"choice": "go", "comment": ""}, follow=True
    )
    assert not Vote.objects.exists()
    assert "Comment: This field is required." in [str(m) for m in response.context["messages"]]


def test_recuse(client, members, head, department):
    review = open_review(department, head, hours_ago=2)
    client.force_login(members[1])
    client.post(reverse("review-recuse", args=[review.pk]), {"reason": "I advised the team."})
    assert Recusal.objects.get(review=review).member.user == members[1]


def test_close_before_quorum_is_refused(client, chair, head, department):
    review = open_review(department, head, hours_ago=2)
    client.force_login(chair)
    response = client.post(reverse("review-close", args=[review.pk]), {}, follow=True)
    assert "votes needed" in " ".join(str(m) for m in response.context["messages"])
    assert UseCase.objects.get(pk=review.use_case_id).state == State.SUBMITTED


def test_votes_then_close_advances_the_use_case(client, chair, members, head, department):
    review = open_review(department, head, hours_ago=2)
    for user in (chair, *members):
        client.force_login(user)
        client.post(reverse("review-vote", args=[review.pk]), {"choice": "go", "comment": "Yes."})
    client.force_login(chair)
    response = client.post(
        reverse("review-close", args=[review.pk]), {"rationale": "Clear."}, follow=True
    )
    use_case = UseCase.objects.get(pk=review.use_case_id)
    assert use_case.state == State.PILOT
    assert "is now Pilot." in " ".join(str(m) for m in response.context["messages"])


def test_a_delegate_votes_for_the_member_who_delegated(client, board, head, department):
    _, (_chair, first, second) = board
    review = open_review(department, head, hours_ago=2)
    governance_services.delegation_create(
        delegator=second,
        delegate=first,
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1),
    )
    client.force_login(first.user)
    page = client.get(reverse("review-detail", args=[review.pk]))
    assert [seat.pk for seat in page.context["delegated_seats"]] == [second.pk]

    client.post(
        reverse("review-vote", args=[review.pk]),
        {"choice": "hold", "comment": "As asked.", "on_behalf_of": second.pk},
    )

    vote = Vote.objects.get(review=review)
    assert (vote.member, vote.cast_by, vote.choice) == (second, first.user, "hold")
    assert vote.delegation is not None


def test_close_form_waits_for_quorum(client, chair, head, department):
    review = open_review(department, head, hours_ago=2)
    client.force_login(chair)
    body = client.get(reverse("review-detail", args=[review.pk])).content.decode()
    assert 'id="close-waits"' in body
    assert 'id="close-form"' not in body


def test_someone_off_the_board_cannot_vote_or_close(client, head, department, board):
    review = open_review(department, head, hours_ago=2)
    outsider = factories.UserFactory()
    client.force_login(outsider)
    vote = client.post(reverse("review-vote", args=[review.pk]), {"choice": "go", "comment": "x"})
    close = client.post(reverse("review-close", args=[review.pk]), {})
    assert vote.status_code == 403
    assert close.status_code == 403
    assert not Vote.objects.exists()


def test_a_member_who_is_not_chair_cannot_close(client, chair, members, head, department):
    review = open_review(department, head, hours_ago=2)
    for user in (chair, *members):
        governance_services.vote_cast(review=review, actor=user, choice="go", comment="Yes.")
    client.force_login(members[0])
    response = client.post(reverse("review-close", args=[review.pk]), {}, follow=True)
    assert "chair" in " ".join(str(m) for m in response.context["messages"])
    assert UseCase.objects.get(pk=review.use_case_id).state == State.SUBMITTED
