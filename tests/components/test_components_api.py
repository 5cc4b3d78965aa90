"""Components through the API: registered by administrators and department heads, kind
fields kept to their kind, linked to use cases in a role, the change history, and the use
cases that share a vendor or a dataset with personal data in a constant number of queries."""

import pytest

from components import services
from components.models import Component, ComponentLink
from tests import factories
from tests.support.components import api_as


@pytest.fixture
def published(department, head):
    use_case = factories.submitted(department, head, title="Claims triage")
    return use_case


def test_a_department_head_registers_a_model_supplied_by_a_vendor(head, vendor):
    answer = api_as(head).post(
        "/api/components/",
        {
            "kind": "model",
            "name": "triage-bert",
            "version": "1.4",
            "vendor": vendor.pk,
            "licence": "Apache-2.0",
            "model_card": {"modelParameters": {"task": "classification"}},
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["vendor_name"], body["owner"], body["use_case_count"]) == (
        "Acme Models GmbH",
        head.pk,
        0,
    )


def test_a_field_of_another_kind_is_refused_naming_it(head):
    answer = api_as(head).post(
        "/api/components/", {"kind": "dataset", "name": "claims", "country": "DE"}, format="json"
    )
    assert answer.status_code == 400
    assert list(answer.json()["fields"]) == ["country"]


def test_a_member_without_a_heads_role_may_not_register(department):
    member = factories.member_of(department)
    answer = api_as(member).post("/api/components/", {"kind": "vendor", "name": "X"}, format="json")
    assert answer.status_code == 403


def test_a_link_in_a_role_once_and_its_history(published, head, vendor):
    body = {"use_case": published.pk, "component": vendor.pk, "role": "provider"}
    first = api_as(head).post("/api/component-links/", body, format="json")
    again = api_as(head).post("/api/component-links/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 409)
    assert again.json()["code"] == "already_linked"
    deleted = api_as(head).delete(f"/api/component-links/{first.json()['id']}/")
    assert deleted.status_code == 204
    history = ComponentLink.history.filter(id=first.json()["id"]).order_by("history_id")
    assert [h.history_type for h in history] == ["+", "-"]
    assert history.last().history_user == head


def test_a_component_change_is_in_its_history(vendor, admin_user):
    services.component_update(component=vendor, actor=admin_user, contract="MSA-2026-14")
    rows = list(Component.history.filter(id=vendor.pk).order_by("history_id"))
    assert [(r.history_type, r.contract) for r in rows] == [("+", ""), ("~", "MSA-2026-14")]


def _portfolio(department, head, vendor, n_links):
    """n use cases, each using a dataset the vendor supplies (with personal data on every
    second) and the vendor directly on every third."""
    datasets = [
        Component.objects.create(
            kind="dataset", name=f"d{i}", vendor=vendor, personal_data=i % 2 == 0
        )
        for i in range(2)
    ]
    use_cases = factories.use_cases_in_bulk(n_links, department=department, person=head)
    ComponentLink.objects.bulk_create(
        [
            ComponentLink(use_case=u, component=datasets[i % 2], role="input_data")
            for i, u in enumerate(use_cases)
        ]
        + [
            ComponentLink(use_case=u, component=vendor, role="provider")
            for i, u in enumerate(use_cases)
            if i % 3 == 0
        ]
    )
    return datasets


@pytest.mark.parametrize("n_links", [10, 1000])
def test_which_use_cases_share_this_vendor_in_constant_queries(
    department, head, vendor, n_links, django_assert_max_num_queries
):
    _portfolio(department, head, vendor, n_links)
    client = api_as(head)
    with django_assert_max_num_queries(8):
        answer = client.get(f"/api/components/{vendor.pk}/use-cases/")
    # n dataset links + ceil(n / 3) direct links: 10 -> 10 + 4; 1000 -> 1000 + 334.
    assert len(answer.json()) == n_links + -(-n_links // 3)
    with django_assert_max_num_queries(8):
        personal = client.get(f"/api/components/{vendor.pk}/use-cases/?personal_data=true")
    # Half the use cases use the dataset with personal data (d0): 10 -> 5; 1000 -> 500.
    assert len(personal.json()) == n_links // 2
    assert {row["component_name"] for row in personal.json()} == {"d0"}


@pytest.mark.parametrize("n_links", [10, 1000])
def test_the_component_list_and_the_link_list_in_constant_queries(
    department, head, vendor, n_links, django_assert_max_num_queries
):
    _portfolio(department, head, vendor, n_links)
    client = api_as(head)
    with django_assert_max_num_queries(8):
        components = client.get("/api/components/?kind=dataset")
    assert [r["use_case_count"] for r in components.json()["results"]] == [
        n_links - n_links // 2,
        n_links // 2,
    ]
    with django_assert_max_num_queries(8):
        links = client.get(f"/api/component-links/?component_id={vendor.pk}")
    assert links.json()["count"] == -(-n_links // 3)


def test_the_component_list_as_csv(head, vendor):
    answer = api_as(head).get("/api/components/?format=csv")
    assert answer.status_code == 200
    text = b"".join(answer.streaming_content).decode()
    assert text.splitlines()[0].startswith("id,kind,name")
    assert "Acme Models GmbH" in text
