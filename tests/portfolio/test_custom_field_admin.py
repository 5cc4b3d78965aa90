"""A custom intake field defined once appears in the use case admin: a list filter per field
(by choice, yes or no, answered or not) and a column per field in the CSV export; the
changelist's query count does not grow with the number of fields."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio import services
from portfolio.choices import CustomFieldKind as Kind
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/portfolio/usecase/"


@pytest.fixture
def answered(admin_user, department):
    """Three use cases and four fields: a choice, several choices, a yes/no and a text."""
    define = services.custom_field_create
    define(actor=admin_user, key="vendor_risk", label="Vendor risk", kind=Kind.CHOICE,
           choices=["Low", "High"])  # fmt: skip
    define(actor=admin_user, key="regions", label="Regions", kind=Kind.CHOICES,
           choices=["EU", "US", "APAC"])  # fmt: skip
    define(actor=admin_user, key="personal", label="Personal data", kind=Kind.YES_NO)
    define(actor=admin_user, key="dpia_ref", label="DPIA reference", kind=Kind.TEXT)
    rows = {
        "high": {"vendor_risk": "High", "regions": ["EU", "APAC"], "personal": True,
                 "dpia_ref": "DPIA-7"},
        "low": {"vendor_risk": "Low", "regions": ["US"], "personal": False},
        "none": {},
    }  # fmt: skip
    made = {}
    for title, custom in rows.items():
        made[title] = factories.UseCaseFactory(department=department, title=title, custom=custom)
    return made


def _listed(client, query: str) -> set[str]:
    response = client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    return {str(uc) for uc in response.context["cl"].result_list}


def test_the_changelist_filters_on_each_kind_of_answer(client, admin_user, answered):
    client.force_login(admin_user)
    page = client.get(CHANGELIST).content.decode()

    assert "?custom.vendor_risk=High" in page and "?custom.dpia_ref=unanswered" in page
    assert _listed(client, "custom.vendor_risk=High") == {str(answered["high"])}
    assert _listed(client, "custom.regions=APAC") == {str(answered["high"])}
    assert _listed(client, "custom.regions=US") == {str(answered["low"])}
    assert _listed(client, "custom.personal=no") == {str(answered["low"])}
    assert _listed(client, "custom.personal=yes") == {str(answered["high"])}
    assert _listed(client, "custom.dpia_ref=answered") == {str(answered["high"])}
    assert _listed(client, "custom.dpia_ref=unanswered") == {
        str(answered["low"]),
        str(answered["none"]),
    }
    # A value the field does not offer: the admin's own "incorrect lookup" answer, not a 500.
    wrong = client.get(f"{CHANGELIST}?custom.vendor_risk=Medium")
    assert wrong.status_code == 302 and "e=1" in wrong["Location"]


def test_the_csv_export_has_a_column_per_field(client, admin_user, answered):
    client.force_login(admin_user)

    response = client.get(f"{CHANGELIST}export.csv?o=1")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    header = rows[0]
    custom = ["custom.vendor_risk", "custom.regions", "custom.personal", "custom.dpia_ref"]
    assert header[-4:] == custom
    by_title = {row[header.index("Title")]: row[-4:] for row in rows[1:]}
    assert by_title["high"] == ["High", "EU; APAC", "yes", "DPIA-7"]
    assert by_title["low"] == ["Low", "US", "no", ""]
    assert by_title["none"] == ["", "", "", ""]


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_changelist_query_count_is_the_same_with_0_and_20_fields(
    client, admin_user, department
):
    for _ in range(10):
        factories.UseCaseFactory(department=department)
    client.force_login(admin_user)
    without = _changelist_queries(client)

    for n in range(20):
        kind = (Kind.TEXT, Kind.CHOICE, Kind.YES_NO, Kind.CHOICES)[n % 4]
        choices = ["A", "B"] if kind in (Kind.CHOICE, Kind.CHOICES) else []
        services.custom_field_create(
            actor=admin_user, key=f"q{n}", label=f"Q{n}", kind=kind, choices=choices
        )
    for use_case in department.use_cases.all():
        use_case.custom = {f"q{n}": "A" for n in range(1, 20, 4)}
        use_case.save()

    assert _changelist_queries(client) == without
