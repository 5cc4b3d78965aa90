"""Another department's draft never shows: not in lists, filters, search, CSV or errors."""

import pytest

from portfolio.choices import MetricKind
from tests import factories

OUTSIDERS = ["other_head", "board"]


def draft_queries(w):
    draft = w.draft
    return [
        "/api/use-cases/",
        f"/api/use-cases/?department_id={w.department.pk}",
        "/api/use-cases/?state=draft",
        f"/api/use-cases/?q={draft.title}",
        f"/api/use-cases/?format=csv&q={draft.title}",
        "/api/use-cases/?format=csv",
        f"/api/metrics/?use_case_id={draft.pk}",
        f"/api/metrics/?format=csv&use_case_id={draft.pk}",
        f"/api/data-gaps/?use_case_id={draft.pk}",
        f"/api/artifacts/?use_case_id={draft.pk}",
        f"/api/readings/?use_case_id={draft.pk}",
        f"/api/transitions/?use_case_id={draft.pk}",
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_another_departments_draft_is_absent_everywhere(world, role):
    factories.DataGapFactory(use_case=world.draft, description="Secret gap")
    factories.ReadingFactory(metric=world.draft.metrics.get(kind=MetricKind.BUSINESS))
    client = world.client(role)

    for url in draft_queries(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.getvalue().decode()
        assert world.draft.title not in text, url
        assert "Secret gap" not in text, url
        if "format=csv" not in url:
            key = "id" if url.startswith("/api/use-cases/") else "use_case"
            rows = response.json()["results"]
            assert world.draft.pk not in {row.get(key) for row in rows}, url


@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_submitted_use_case_of_another_department_is_readable(world, role):
    response = world.client(role).get(f"/api/use-cases/?q={world.submitted.title}")

    assert [row["id"] for row in response.json()["results"]] == [world.submitted.pk]


def test_a_hidden_draft_and_a_missing_id_get_the_same_404(world):
    client = world.client("other_head")

    hidden = client.get(f"/api/use-cases/{world.draft.pk}/")
    missing = client.get("/api/use-cases/999999/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_the_own_head_sees_the_draft_in_the_list(world):
    response = world.client("head").get("/api/use-cases/?state=draft")

    assert [row["id"] for row in response.json()["results"]] == [world.draft.pk]


def test_a_person_with_no_role_sees_no_rows_anywhere(world, api):
    from gates.api.urls import router as gates
    from governance.api.urls import router as governance_router
    from portfolio.api.urls import router as portfolio

    nobody = api(factories.UserFactory(username="no-role"))
    for router in (portfolio, gates, governance_router):
        for prefix, _, _ in router.registry:
            response = nobody.get(f"/api/{prefix}/")
            assert response.status_code == 200, prefix
            assert response.json()["count"] == 0, prefix
