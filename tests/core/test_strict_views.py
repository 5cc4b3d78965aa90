"""Views that are not a viewset's list read the query string as strictly as the lists do: a
misspelt parameter answers 400 naming it and the accepted ones (PRODUCT.md, "What bad input
and faults get": a misspelt filter must not return everything), and the right spelling works.
"""

import pytest
from rest_framework.test import APIClient

from components.models import Component
from tests import factories

# (path, the misspelt parameter, the accepted parameters, a query that is accepted)
VIEWS = [
    ("/api/my-actions/", "knd=vote", ["format", "kind"], "kind=vote"),
    ("/api/inventory/export/", "fileformat=csv", ["department", "file_format", "format"], ""),
    ("/api/forecasts/back-test/", "department=1", ["department_id", "format"], ""),
    ("/api/reports/portfolio/", "mont=2026-01", ["format", "month"], None),
    ("/api/components/{vendor}/use-cases/", "personal=true", ["format", "personal_data"], ""),
]


@pytest.fixture
def api(db):
    client = APIClient()
    client.force_authenticate(factories.administrator(username="strict-admin"))
    return client


@pytest.mark.parametrize(("path", "misspelt", "accepted", "good"), VIEWS)
def test_a_misspelt_parameter_is_refused_naming_the_accepted_ones(
    api, path, misspelt, accepted, good
):
    vendor = Component.objects.create(kind="vendor", name="Acme AI")
    path = path.format(vendor=vendor.pk)
    name = misspelt.split("=")[0]

    response = api.get(f"{path}?{misspelt}")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["accepted"] == accepted
    assert list(body["fields"]) == [name]
    if good is not None:
        assert api.get(f"{path}?{good}" if good else path).status_code == 200
