"""Executives refused at the permission layer, late conflicts of interest, votes racing a
close, constraint messages and the authorisation handed to hold and kill."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from core.errors import ConflictError, UnauthorisedStop, constraint_of
from gates.models import GateReview
from gates.services import criteria_defaults_load
from governance import services as governance
from governance.models import Decision, Vote
from portfolio import services
from portfolio.choices import DepartmentRole
from tests import factories
from tests.support.piloting import T0, client_for, pass_g0

DAY = timedelta(days=1)


# --- executives refused at the permission layer --------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("patch", "/api/use-cases/{uc}/", {"title": "x"}),
        ("post", "/api/use-cases/{uc}/hold/", {"reason": "x"}),
        ("post", "/api/metrics/", {"use_case": "{uc}", "name": "n", "unit": "u"}),
        ("post", "/api/readings/", {"metric": "{metric}", "value": "1"}),
        ("post", "/api/rebaseline-requests/", {"metric": "{metric}", "baseline": 1, "target": 2}),
        ("post", "/api/data-gaps/", {"use_case": "{uc}", "description": "x"}),
    ],
)
def test_executives_are_refused_by_the_permission_layer(submitted, executive, method, url, body):
    metric = submitted.metrics.get(kind="business")
    fill = {"uc": submitted.pk, "metric": metric.pk}
    body = {k: (v.format(**fill) if isinstance(v, str) else v) for k, v in body.items()}

    response = getattr(client_for(executive), method)(url.format(**fill), body, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "executives_read_only"


# --- a conflict of interest that arises after the request ----------------------------------------


def test_a_member_who_joins_the_department_after_the_request_cannot_vote(submitted, head, board):
    review = governance.review_request(use_case=submitted, actor=head, at=T0)
    late = board[1][2].user
    factories.MembershipFactory(
        user=late, department=submitted.department, role=DepartmentRole.MEMBER
    )

    with pytest.raises(PermissionDenied):
        governance.vote_cast(review=review, actor=late, choice="go", comment="Go.", at=T0)
    response = client_for(late).post(
        f"/api/reviews/{review.pk}/vote/", {"choice": "go", "comment": "Go."}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not Vote.objects.filter(review=review, member__user=late).exists()


# --- a vote racing the close ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_a_vote_committing_while_the_review_closes_is_counted_or_refused(require_postgres, round_):
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    criteria_defaults_load()
    _board, seats = factories.board_with(3)
    use_case = services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=T0 - 10 * DAY
    )
    review = governance.review_request(use_case=use_case, actor=head)
    for seat in seats[:2]:
        governance.vote_cast(review=review, actor=seat.user, choice="go", comment="Go.")
    barrier = threading.Barrier(2)
    outcome = {}

    def run(name, call):
        try:
            barrier.wait()
            outcome[name] = call()
        except Exception as exc:
            outcome[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run,
            args=(
                "vote",
                lambda: governance.vote_cast(
                    review=GateReview.objects.get(pk=review.pk),
                    actor=seats[2].user,
                    choice="go",
                    comment="Late but in.",
                ),
            ),
        ),
        threading.Thread(
            target=run,
            args=(
                "close",
                lambda: governance.review_close(
                    review=GateReview.objects.get(pk=review.pk), actor=seats[0].user
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    decision = Decision.objects.get(review=review)
    votes = Vote.objects.filter(review=review).count()
    assert isinstance(outcome["close"], Decision), outcome
    # Either the vote committed first and the decision counted it, or the close did and the
    # vote was refused: never a vote on the record that the decision did not see.
    if isinstance(outcome["vote"], Vote):
        assert (decision.votes_cast, votes) == (3, 3)
    else:
        assert isinstance(outcome["vote"], ConflictError), outcome
        assert outcome["vote"].code == "review_decided"
        assert (decision.votes_cast, votes) == (2, 2)


# --- review_close: constraint violations say what they are ---------------------------------------


def test_a_constraint_violation_is_named_not_called_a_concurrent_close(submitted, head, board):
    review = governance.review_request(use_case=submitted, actor=head, at=T0)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        Decision.objects.create(
            review=review,
            board=board[0],
            snapshot=review.snapshots.get(),
            verdict="go",
            recommendation="go",
            is_override=True,
            rationale="",
            decided_by=board[1][0].user,
            decided_at=T0,
            latency_hours=0,
        )

    assert constraint_of(excinfo.value) == "override_needs_rationale"


def test_review_close_reports_the_constraint_it_breaks(submitted, head, board, require_postgres):
    review = governance.review_request(use_case=submitted, actor=head, at=T0)
    for seat in board[1]:
        governance.vote_cast(review=review, actor=seat.user, choice="go", comment="Go.", at=T0)
    with connection.cursor() as cursor:  # a rule of the record this decision breaks
        cursor.execute(
            "ALTER TABLE governance_decision ADD CONSTRAINT decided_within_a_day "
            "CHECK (latency_hours <= 24)"
        )

    with pytest.raises(ConflictError) as excinfo:
        governance.review_close(review=review, actor=board[1][0].user, at=T0 + 2 * DAY)

    assert excinfo.value.code == "constraint_violated"
    assert excinfo.value.extra == {"constraint": "decided_within_a_day"}
    assert "decided_within_a_day" in excinfo.value.message


def test_a_second_close_is_still_a_concurrent_change(submitted, head, board):
    review = pass_g0(submitted, head, board)

    with pytest.raises(ConflictError) as excinfo:
        governance.review_close(review=review, actor=board[1][0].user)

    assert excinfo.value.code == "review_decided"


# --- hold and kill check the authorisation they are handed ---------------------------------------


@pytest.fixture
def go_decision(submitted, head, board):
    return Decision.objects.get(review=pass_g0(submitted, head, board))


def test_a_go_decision_does_not_authorise_a_kill(go_decision, submitted):
    use_case = submitted.__class__.objects.get(pk=submitted.pk)
    stranger = factories.UserFactory()

    with pytest.raises(UnauthorisedStop) as excinfo:
        services.use_case_kill(
            use_case=use_case,
            actor=stranger,
            reason="x",
            lesson=factories.LESSON,
            authorisation=go_decision,
        )

    assert excinfo.value.code == "authorisation_invalid"
    assert use_case.__class__.objects.get(pk=use_case.pk).state == "pilot"


def test_any_saved_object_is_not_an_authorisation(submitted, department):
    stranger = factories.UserFactory()

    with pytest.raises(UnauthorisedStop):
        services.use_case_hold(use_case=submitted, actor=stranger, authorisation=department)


def test_a_no_go_of_another_use_case_does_not_authorise_this_kill(department, head, board):
    killed = services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=T0 - DAY
    )
    other = services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=T0 - DAY
    )
    review = governance.review_request(use_case=killed, actor=head, at=T0)
    for seat in board[1]:
        governance.vote_cast(review=review, actor=seat.user, choice="no_go", comment="No.", at=T0)
    no_go = governance.review_close(
        review=review, actor=board[1][0].user, rationale="No value.", lesson=factories.LESSON, at=T0
    )

    with pytest.raises(UnauthorisedStop):
        services.use_case_kill(
            use_case=other, actor=None, reason="x", lesson=factories.LESSON, authorisation=no_go
        )
    with pytest.raises(ConflictError) as reused:  # killed already: nothing left to stop
        services.use_case_kill(
            use_case=killed, actor=None, reason="x", lesson=factories.LESSON, authorisation=no_go
        )

    assert killed.__class__.objects.get(pk=killed.pk).state == "killed"  # by the decision
    assert other.__class__.objects.get(pk=other.pk).state == "submitted"
    assert reused.value.code == "illegal_transition"


def test_without_an_authorisation_the_permission_check_runs(submitted):
    with pytest.raises(PermissionDenied):
        services.use_case_hold(use_case=submitted, actor=factories.UserFactory())


def test_a_hold_decision_authorises_exactly_one_hold(department, head, board):
    use_case = services.use_case_submit(
        use_case=factories.UseCaseFactory(department=department), actor=head, at=T0 - DAY
    )
    review = governance.review_request(use_case=use_case, actor=head, at=T0)
    for seat in board[1]:
        governance.vote_cast(review=review, actor=seat.user, choice="hold", comment="Wait.", at=T0)
    hold = governance.review_close(
        review=review, actor=board[1][0].user, rationale="Not yet.", at=T0
    )
    services.use_case_resume(use_case=use_case, actor=head, at=T0 + DAY)

    with pytest.raises(UnauthorisedStop) as excinfo:
        services.use_case_hold(use_case=use_case, actor=None, authorisation=hold, at=T0 + 2 * DAY)

    assert "already authorised" in excinfo.value.message
