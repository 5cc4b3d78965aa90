"""Every list endpoint answers in a number of queries that does not grow with its rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gates import services as gate_services
from governance import services as governance
from portfolio import services
from portfolio.choices import ArtifactKind, MetricKind
from portfolio.models import Flag, ForecastSnapshot, Lesson, Metric, VelocitySnapshot
from portfolio.models.velocity import FlagKind
from tests import factories
from tests.factories import submitted
from tests.support.clients import client_for


def use_cases(w, n):
    for _ in range(n):
        factories.UseCaseFactory(department=w.department)


def transitions(w, n):
    for _ in range(n):
        submitted(w.department, w.users["head"])


def metrics(w, n):
    for _ in range(n):
        factories.MetricFactory(use_case=w.draft)


def readings(w, n):
    metric = factories.MetricFactory(use_case=w.draft)
    for _ in range(n):
        factories.ReadingFactory(metric=metric)


def data_gaps(w, n):
    for _ in range(n):
        factories.DataGapFactory(use_case=w.draft)


def artifacts(w, n):
    for _ in range(n):
        services.artifact_save(
            actor=w.users["admin"],
            use_case=factories.UseCaseFactory(department=w.department, with_metrics=False),
            kind=ArtifactKind.SCALE_MEMO,
            content="Memo",
        )


def departments(w, n):
    for _ in range(n):
        factories.DepartmentFactory()


def people(w, n):
    for _ in range(n):
        factories.member_of(w.department)


def notifications(w, n):
    recipients = [w.users["head"], w.users["admin"]]
    for _ in range(n):
        services.notification_send(recipients=recipients, kind="test", subject="Hi")


def _reviewed(w):
    use_case = submitted(w.department, w.users["head"])
    return governance.review_request(use_case=use_case, actor=w.users["head"])


def reviews(w, n):
    for _ in range(n):
        _reviewed(w)


def snapshots(w, n):
    for _ in range(n):
        gate_services.review_evaluate(review=w.review, actor=w.users["admin"])


def votes(w, n):
    for _ in range(n):
        review = _reviewed(w)
        governance.vote_cast(review=review, actor=w.users["board"], choice="go", comment="Yes.")


def recusals(w, n):
    for _ in range(n):
        governance.vote_recuse(review=_reviewed(w), actor=w.users["board"], reason="Conflict.")


def _decided(w, conditions=0):
    review = _reviewed(w)
    verdict = "conditional_go" if conditions else "go"
    for role in ("chair", "board"):
        governance.vote_cast(review=review, actor=w.users[role], choice=verdict, comment="Yes.")
    return governance.review_close(
        review=review,
        actor=w.users["chair"],
        verdict=verdict,
        rationale="Weighed.",
        conditions=[
            {"text": f"Condition {i}", "due_date": dt.date(2027, 1, 1)} for i in range(conditions)
        ],
    )


def decisions(w, n):
    for _ in range(n):
        _decided(w)


def conditions(w, n):
    _decided(w, conditions=n)


def rebaselines(w, n):
    decision = _decided(w)
    metric = Metric.objects.get(use_case=decision.review.use_case, kind=MetricKind.BUSINESS)
    for i in range(n):
        request = governance.rebaseline_request(
            metric=metric, actor=w.users["head"], baseline="8", target=str(i), reason="Moved."
        )
        if i < n - 1:  # one request waits per metric: the board answers each before the next
            governance.rebaseline_decide(request=request, actor=w.users["chair"], approve=False)


def boards(w, n):
    for i in range(n):
        governance.board_create(name=f"Board {i} of {n}", departments=[w.other_department])


def board_members(w, n):
    board = governance.board_create(name=f"Seats board {n}")
    for _ in range(n):
        governance.board_member_add(board=board, user=factories.UserFactory())


def delegations(w, n):
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        governance.delegation_create(
            delegator=w.seats["board"],
            delegate=w.seats["chair"],
            starts_at=start + dt.timedelta(days=2 * i),
            ends_at=start + dt.timedelta(days=2 * i + 1),
        )


def criteria_sets(w, n):
    criterion = {
        "label": "Payback",
        "measurable": "payback_months",
        "comparator": "at_most",
        "threshold": Decimal("24"),
        "kind": "must",
    }
    for _ in range(n):
        gate_services.criteria_set_create(gate="G2", playbook="resilient", criteria=[criterion])


def flags(w, n):
    for _ in range(n):
        use_case = factories.UseCaseFactory(department=w.department, with_metrics=False)
        Flag.objects.create(use_case=use_case, kind=FlagKind.STALE_METRICS, reason="Quiet.")


def velocity(w, n):
    for position in range(n):
        use_case = factories.UseCaseFactory(department=w.department, with_metrics=False)
        VelocitySnapshot.objects.create(
            scope=f"department:{w.department.pk}",
            measure="intake",
            use_case=use_case,
            department=w.department,
            position=position,
            value=10 + position,
            label="first",
        )


def forecasts(w, n):
    for _ in range(n):
        use_case = factories.UseCaseFactory(department=w.department, with_metrics=False)
        ForecastSnapshot.objects.create(
            scope=f"department:{w.department.pk}",
            measure="intake",
            use_case=use_case,
            department=w.department,
            basis="department",
            n=3,
            days=10,
            low=8,
            high=12,
        )


def lessons(w, n):
    for _ in range(n):
        use_case = factories.UseCaseFactory(department=w.department, with_metrics=False)
        Lesson.objects.create(use_case=use_case, transition="kill", learned="x", cause="data")


LISTS = {
    "use-cases": use_cases,
    "transitions": transitions,
    "metrics": metrics,
    "readings": readings,
    "data-gaps": data_gaps,
    "artifacts": artifacts,
    "departments": departments,
    "people": people,
    "memberships": people,
    "notifications": notifications,
    "reviews": reviews,
    "snapshots": snapshots,
    "votes": votes,
    "recusals": recusals,
    "decisions": decisions,
    "conditions": conditions,
    "rebaseline-requests": rebaselines,
    "boards": boards,
    "board-members": board_members,
    "delegations": delegations,
    "criteria-sets": criteria_sets,
    "flags": flags,
    "velocity": velocity,
    "forecasts": forecasts,
    "lessons": lessons,
}


def fresh(user_pk: int):
    # A fresh user object each time, so the role lookups are counted every time.
    return get_user_model().objects.get(pk=user_pk)


def count_queries(user, url: str) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


@pytest.mark.parametrize("role", ["head", "admin"])
@pytest.mark.parametrize("prefix", sorted(LISTS))
def test_list_queries_are_constant_from_5_to_50_rows(
    world, prefix, role, django_assert_max_num_queries
):
    url = f"/api/{prefix}/"
    user_pk = world.users[role].pk
    LISTS[prefix](world, 5)
    with_5 = count_queries(fresh(user_pk), url)
    LISTS[prefix](world, 45)
    user = fresh(user_pk)

    with django_assert_max_num_queries(with_5):
        with_50 = count_queries(user, url)

    assert with_50 == with_5


def test_every_list_has_a_query_count_test():
    from gates.api.urls import router as gates
    from governance.api.urls import router as governance_router
    from portfolio.api.urls import router as portfolio

    routed = {p for r in (portfolio, gates, governance_router) for p, _, _ in r.registry}
    assert routed <= set(LISTS)
