"""A custom intake field defined once appears on every API surface: the use case's JSON
(read and written under ``custom``), the installation's OpenAPI schema, the CSV export, the
change history and the list filters (``?custom.<key>=``, strict and listed as accepted);
the list's query count does not grow with the number of fields."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor(admin_user):
    return services.custom_field_create(
        actor=admin_user, key="vendor_risk", label="Vendor risk", kind=Kind.CHOICE,
        choices=["Low", "High"], help_text="As the vendor review rated it.",
    )  # fmt: skip


def test_the_api_writes_and_reads_answers_under_custom(world, vendor):
    client = world.client("head")

    created = client.post(
        "/api/use-cases/",
        {
            "department": world.department.pk,
            "title": "Vendor bot",
            "custom": {"vendor_risk": "High"},
        },
        format="json",
    )
    changed = client.patch(
        f"/api/use-cases/{created.json()['id']}/", {"custom": {"vendor_risk": "Low"}}, format="json"
    )

    assert created.status_code == 201, created.json()
    assert created.json()["custom"] == {"vendor_risk": "High"}
    assert changed.json()["custom"] == {"vendor_risk": "Low"}


def test_a_wrong_type_is_a_400_naming_the_field_by_label_and_key(world, admin_user):
    services.custom_field_create(actor=admin_user, key="gb", label="Data volume", kind=Kind.NUMBER)
    client = world.client("head")

    response = client.patch(
        f"/api/use-cases/{world.draft.pk}/", {"custom": {"gb": [1, 2]}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"custom.gb": ["Data volume (gb): Expected a number."]}


def test_the_schema_describes_the_installations_fields(world, vendor):
    schema = world.client("head").get("/api/schema/?format=json").json()

    custom = schema["components"]["schemas"]["UseCase"]["properties"]["custom"]
    assert custom["properties"]["vendor_risk"]["enum"] == ["Low", "High"]
    assert custom["additionalProperties"] is False
    parameters = schema["paths"]["/api/use-cases/"]["get"]["parameters"]
    assert "custom.vendor_risk" in {p["name"] for p in parameters}


def test_the_csv_export_has_a_column_per_field(world, vendor):
    world.draft.custom = {"vendor_risk": "High"}
    world.draft.save()

    response = world.client("head").get("/api/use-cases/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert {row["title"]: row["custom.vendor_risk"] for row in rows}[world.draft.title] == "High"


def test_the_change_history_names_the_field_by_its_label(world, vendor):
    head = world.users["head"]
    services.use_case_update(actor=head, use_case=world.draft, custom={"vendor_risk": "Low"})
    services.use_case_update(actor=head, use_case=world.draft, custom={"vendor_risk": "High"})

    history = world.client("head").get(f"/api/use-cases/{world.draft.pk}/history/").json()

    changes = [c for entry in history for c in entry["changes"] if c["field"].startswith("custom")]
    assert changes[0] == {"field": "custom.vendor_risk", "old": "Low", "new": "High"}


def test_the_list_filters_on_an_answer_strictly(world, vendor):
    world.draft.custom = {"vendor_risk": "High"}
    world.draft.save()
    client = world.client("head")

    high = client.get("/api/use-cases/?custom.vendor_risk=High").json()["results"]
    wrong = client.get("/api/use-cases/?custom.vendor_risk=Medium")
    unknown = client.get("/api/use-cases/?custom.vendor=High")

    assert [uc["id"] for uc in high] == [world.draft.pk]
    assert wrong.status_code == 400
    assert "Vendor risk (vendor_risk)" in wrong.json()["fields"]["custom.vendor_risk"][0]
    assert unknown.status_code == 400
    assert "custom.vendor_risk" in unknown.json()["accepted"]


def test_several_choices_filter_on_one_chosen(world, admin_user):
    services.custom_field_create(
        actor=admin_user, key="regions", label="Regions", kind=Kind.CHOICES,
        choices=["EU", "US", "APAC"],
    )  # fmt: skip
    world.draft.custom = {"regions": ["EU", "APAC"]}
    world.draft.save()

    found = world.client("head").get("/api/use-cases/?custom.regions=APAC").json()["results"]
    none = world.client("head").get("/api/use-cases/?custom.regions=US").json()["results"]

    assert [uc["id"] for uc in found] == [world.draft.pk]
    assert none == []


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/use-cases/").status_code == 200
    return len(queries)


def test_the_list_query_count_is_the_same_with_0_and_20_fields(world, admin_user):
    for _ in range(10):
        factories.UseCaseFactory(department=world.department)
    client = world.client("head")
    without = _list_queries(client)

    for n in range(20):
        services.custom_field_create(actor=admin_user, key=f"q{n}", label=f"Q{n}", kind=Kind.TEXT)
    for use_case in world.department.use_cases.all():
        use_case.custom = {f"q{n}": "answer" for n in range(20)}
        use_case.save()

    assert _list_queries(client) == without
