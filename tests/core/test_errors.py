"""One error format for everything the API refuses."""

from decimal import Decimal

from portfolio.choices import MetricKind
from portfolio.models import UseCase


def test_anonymous_is_401_with_a_challenge(world):
    response = world.client("anonymous").get("/api/use-cases/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json()["code"] == "not_authenticated"


def test_unknown_is_404_in_the_error_format(world):
    response = world.client("admin").get("/api/use-cases/123456789/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_a_non_numeric_or_huge_id_is_404_not_500(world):
    client = world.client("admin")

    assert client.get("/api/use-cases/abc/").status_code == 404
    assert client.get(f"/api/use-cases/{2**70}/").status_code == 404


def test_executives_get_403_on_writes(world):
    response = world.client("executive").patch(f"/api/use-cases/{world.draft.pk}/", {"title": "x"})

    assert response.status_code == 403
    # Refused by the permission layer (ExecutivesReadOnly), not by a service further in.
    assert response.json()["code"] == "executives_read_only"


def test_locked_goalposts_are_409(world):
    UseCase.objects.filter(pk=world.submitted.pk).update(metrics_locked_at="2026-01-01T00:00Z")
    metric = world.submitted.metrics.get(kind=MetricKind.BUSINESS)

    response = world.client("head").patch(f"/api/metrics/{metric.pk}/", {"target": "1"})

    assert response.status_code == 409
    assert response.json()["code"] == "metric_locked"
    assert world.client("head").get(f"/api/metrics/{metric.pk}/").json()["locked"] is True


def test_a_duplicate_metric_name_is_400_not_an_integrity_error(world):
    existing = world.draft.metrics.get(kind=MetricKind.BUSINESS)

    response = world.client("head").post(
        "/api/metrics/", {"use_case": world.draft.pk, "name": existing.name, "unit": "days"}
    )

    assert response.status_code == 400


def test_a_reading_out_of_range_is_400(world):
    metric = world.submitted.metrics.get(kind=MetricKind.BUSINESS)

    response = world.client("head").post(
        "/api/readings/", {"metric": metric.pk, "value": str(Decimal("1e20"))}
    )

    assert response.status_code == 400
    assert "value" in response.json()["fields"]


def test_a_reading_in_the_future_is_400(world):
    metric = world.submitted.metrics.get(kind=MetricKind.BUSINESS)

    response = world.client("head").post(
        "/api/readings/", {"metric": metric.pk, "value": "3", "measured_at": "2999-01-01T00:00Z"}
    )

    assert response.status_code == 400
    assert "measured_at" in response.json()["fields"]


def test_nul_characters_in_a_search_are_400(world):
    response = world.client("admin").get("/api/use-cases/?q=a%00b")

    assert response.status_code == 400


def test_malformed_json_is_400(world):
    response = world.client("head").generic(
        "POST", "/api/use-cases/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
