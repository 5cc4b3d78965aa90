"""The health endpoint, token authentication and the login lockout."""

import pytest
from django.test import override_settings

from tests import factories


def test_health_is_200_without_authentication_and_says_nothing_else(client, db):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "eager"},
        "down": [],
    }


@override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_health_is_503_naming_the_broker_when_it_is_down(client, db):
    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert "127.0.0.1" not in response.content.decode()


def test_health_reports_a_real_broker_ok(client, db, settings):
    from config.health import broker_status

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.TEST_REDIS_URL
    status = broker_status()
    if status != "ok":
        from tests.support.services import skip_or_fail

        skip_or_fail(f"Redis does not answer at {settings.TEST_REDIS_URL}")

    assert client.get("/health/").status_code == 200


def test_a_token_authenticates_scripts(db, client):
    user = factories.head_of(factories.DepartmentFactory(), username="scripter")

    token = client.post(
        "/api/auth/token/", {"username": "scripter", "password": "pass-word-123"}
    ).json()["token"]
    response = client.get("/api/use-cases/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert user.api_tokens.get().prefix == token[:8]


def test_wrong_credentials_are_400(db, client):
    factories.UserFactory(username="someone")

    response = client.post("/api/auth/token/", {"username": "someone", "password": "nope"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out(client):
    factories.UserFactory(username="target")

    for _ in range(3):
        client.post("/api/auth/token/", {"username": "target", "password": "guess"})
    locked = client.post("/api/auth/token/", {"username": "target", "password": "pass-word-123"})

    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert int(locked["Retry-After"]) == 15 * 60
    assert "token" not in locked.json()
