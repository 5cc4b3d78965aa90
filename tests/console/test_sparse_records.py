"""A draft holding only what the API requires (a department and a title) shows everywhere a
person or an export meets it: pages, the API, the CSV, the admin."""

import pytest
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sparse_draft():
    department = factories.DepartmentFactory(name="Claims")
    head = factories.head_of(department)
    client = APIClient()
    client.force_authenticate(head)
    response = client.post("/api/use-cases/", {"department": department.pk, "title": "Bare"})
    assert response.status_code == 201, response.content
    return head, response.json()["id"]


def test_a_bare_draft_shows_on_the_department_page_and_its_own(client, sparse_draft):
    head, pk = sparse_draft
    department_id = head.memberships.get().department_id
    client.force_login(head)

    department = client.get("/department/")
    own = client.get(f"/use-cases/{pk}/")
    edit = client.get(f"/use-cases/{pk}/edit/")

    assert department.status_code == 200
    assert "Bare" in department.content.decode()
    assert own.status_code == 200
    assert "Bare" in own.content.decode()
    assert edit.status_code == 200
    assert client.get(f"/departments/{department_id}/velocity/").status_code == 200


def test_a_bare_draft_shows_to_an_administrator(client, sparse_draft):
    _, pk = sparse_draft
    client.force_login(factories.administrator())

    assert client.get("/department/").status_code == 200
    assert client.get(f"/use-cases/{pk}/").status_code == 200
    assert client.get(f"/admin/portfolio/usecase/{pk}/change/").status_code == 200
    assert client.get("/admin/portfolio/usecase/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/flywheel/use-cases/{pk}/").status_code == 200
    assert client.get("/admin/portfolio/usecase/export.csv").status_code == 200


def test_a_bare_draft_reads_through_the_api_and_its_csv(sparse_draft):
    head, pk = sparse_draft
    client = APIClient()
    client.force_authenticate(head)

    assert client.get(f"/api/use-cases/{pk}/").status_code == 200
    csv = client.get("/api/use-cases/?format=csv")
    assert csv.status_code == 200
    assert "Bare" in b"".join(csv.streaming_content).decode()
