"""A list's page and count statements kept per shape (core.api.statements) answer what the
ORM compiles afresh, per role, and the review list pages its ids first."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api import statements
from gates.models import GateReview
from governance import services as governance
from governance.api.serializers import GateReviewSerializer
from governance.api.views import ReviewViewSet
from tests import factories
from tests.factories import submitted
from tests.support.clients import client_for


def _get(user, url):
    # A fresh person each time, so the role lookup is counted every time.
    client = client_for(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json(), len(captured)


@pytest.mark.parametrize("url", ["/api/use-cases/", "/api/velocity/", "/api/reviews/"])
def test_a_kept_statement_answers_what_a_fresh_one_does_in_as_many_queries(world, url):
    admin = world.users["admin"]
    statements.forget()
    fresh, fresh_queries = _get(admin, url)
    kept, kept_queries = _get(admin, url)
    assert kept == fresh
    assert kept_queries == fresh_queries


def test_each_role_runs_the_statement_of_its_own_shape(world, other_department):
    # An admin's kept statement (no visibility filter) must not serve a head, who may not
    # see another department's drafts.
    hidden = factories.UseCaseFactory(department=other_department, title="Other draft")
    statements.forget()
    as_admin, _ = _get(world.users["admin"], "/api/use-cases/")
    as_head, _ = _get(world.users["head"], "/api/use-cases/")
    as_admin_again, _ = _get(world.users["admin"], "/api/use-cases/")
    admin_ids = {row["id"] for row in as_admin["results"]}
    head_ids = {row["id"] for row in as_head["results"]}
    assert hidden.pk in admin_ids
    assert hidden.pk not in head_ids
    # The head sees their department's three use cases of the cast, the admin one more.
    assert as_head["count"] == 3
    assert as_admin["count"] == 4
    assert as_admin_again == as_admin


def test_a_filtered_list_is_compiled_for_its_values(world):
    statements.forget()
    url = f"/api/use-cases/?department_id={world.department.pk}"
    first, _ = _get(world.users["admin"], url)
    elsewhere = f"/api/use-cases/?department_id={world.other_department.pk}"
    other, _ = _get(world.users["admin"], elsewhere)
    assert first["count"] == 3
    assert other["count"] == 0
    assert statements._kept == {}


def test_the_review_list_pages_its_ids_first_and_answers_what_the_orm_does(world):
    head = world.users["head"]
    for _ in range(4):
        governance.review_request(use_case=submitted(world.department, head), actor=head)
    statements.forget()
    admin = world.users["admin"]
    # Five reviews in pages of two: the last page holds one.
    pages = [_get(admin, f"/api/reviews/?page_size=2&page={n}")[0] for n in (1, 2, 3)]
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    view = ReviewViewSet()
    view.request = type("R", (), {"user": admin})()
    ordered = list(view.get_queryset().order_by("-requested_at", "-id"))
    assert len(ordered) == GateReview.objects.count() == 5
    expected = GateReviewSerializer(ordered, many=True).data
    assert [row for page in pages for row in page["results"]] == expected
    page_sql = next(iter(statements._kept.values())).page_sql
    assert "LIMIT %s OFFSET %s)" in page_sql  # the ids' subquery holds the limits
