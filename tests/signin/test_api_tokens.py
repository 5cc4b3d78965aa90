"""API tokens: created with an expiry, refused once expired or revoked, revoked by their
owner or an administrator (API and admin)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from signin.models import ApiToken
from signin.services import api_token_create
from tests import factories

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _get(client, key):
    return client.get("/api/use-cases/", HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_lives_for_the_days_asked_to_the_microsecond():
    token, _ = api_token_create(
        user=factories.UserFactory(), name="nightly", expires_in_days=30, at=T0
    )

    assert token.expires_at == T0 + timedelta(days=30)
    assert token.is_usable(at=token.expires_at - timedelta(microseconds=1))
    assert not token.is_usable(at=token.expires_at)


def test_the_default_lifetime_comes_from_the_settings(settings):
    settings.FLYWHEEL_API_TOKEN_DAYS = 7

    token, _ = api_token_create(user=factories.UserFactory(), name="x", at=T0)

    assert token.expires_at == T0 + timedelta(days=7)


@pytest.mark.parametrize(("days", "accepted"), [(0, False), (1, True), (365, True), (366, False)])
def test_the_lifetime_is_one_day_to_the_maximum(settings, days, accepted):
    settings.FLYWHEEL_API_TOKEN_MAX_DAYS = 365
    user = factories.UserFactory()

    if accepted:
        assert api_token_create(user=user, name="x", expires_in_days=days)[0].pk
    else:
        with pytest.raises(ValidationError) as error:
            api_token_create(user=user, name="x", expires_in_days=days)
        assert "expires_in_days" in error.value.message_dict


def test_only_the_digest_of_the_key_is_stored(head):
    token, key = api_token_create(user=head, name="x")

    assert key not in {token.digest, token.prefix} and token.prefix == key[:8]
    assert not ApiToken.objects.filter(digest=key).exists()


def test_a_token_works_until_it_expires(client, head):
    _, live_key = api_token_create(user=head, name="live")
    a_day_and_a_second_ago = timezone.now() - timedelta(days=1, seconds=1)
    _, expired_key = api_token_create(
        user=head, name="old", expires_in_days=1, at=a_day_and_a_second_ago
    )

    assert _get(client, live_key).status_code == 200
    refused = _get(client, expired_key)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_expired"


def test_an_unknown_key_is_refused(client, head):
    response = _get(client, "not-a-key")

    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_the_owner_creates_a_token_when_signed_in_and_sees_the_key_once(client, head):
    client.force_login(head)

    created = client.post(
        "/api/auth/tokens/",
        {"name": "nightly export", "expires_in_days": 30},
        content_type="application/json",
    )

    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "nightly export" and body["active"] is True
    assert _get(client.__class__(), body["key"]).status_code == 200
    listed = client.get("/api/auth/tokens/").json()["results"]
    assert [t["prefix"] for t in listed] == [body["key"][:8]]
    assert "key" not in listed[0] and "digest" not in listed[0]


def test_a_token_cannot_create_another_token(client, head):
    _, key = api_token_create(user=head, name="script")

    response = client.post(
        "/api/auth/tokens/",
        {"name": "more"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_asking_for_too_long_a_life_is_a_400_on_the_field(client, head, settings):
    settings.FLYWHEEL_API_TOKEN_MAX_DAYS = 90
    client.force_login(head)

    response = client.post(
        "/api/auth/tokens/", {"name": "x", "expires_in_days": 91}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "expires_in_days" in response.json()["fields"]


def test_the_owner_revokes_a_token_and_it_stops_working_at_once(client, head):
    token, key = api_token_create(user=head, name="script")

    revoked = client.post(f"/api/auth/tokens/{token.pk}/revoke/", HTTP_AUTHORIZATION=f"Token {key}")

    assert revoked.status_code == 200 and revoked.json()["active"] is False
    token.refresh_from_db()
    assert token.revoked_by == head
    refused = _get(client, key)
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"


def test_another_person_cannot_see_or_revoke_a_token(client, head, other_head):
    token, key = api_token_create(user=head, name="script")
    client.force_login(other_head)

    assert client.get("/api/auth/tokens/").json()["results"] == []
    assert client.post(f"/api/auth/tokens/{token.pk}/revoke/").status_code == 404
    assert _get(client.__class__(), key).status_code == 200


def test_an_administrator_sees_and_revokes_anyones_token(client, head, admin_user):
    token, key = api_token_create(user=head, name="script")
    client.force_login(admin_user)

    listed = client.get(f"/api/auth/tokens/?user_id={head.pk}").json()["results"]
    response = client.post(f"/api/auth/tokens/{token.pk}/revoke/")

    assert [t["id"] for t in listed] == [token.pk]
    assert response.status_code == 200
    assert _get(client.__class__(), key).status_code == 401


def test_an_administrator_revokes_tokens_in_the_admin(client, head, admin_user):
    first, first_key = api_token_create(user=head, name="one")
    second, _ = api_token_create(user=head, name="two")
    client.force_login(admin_user)

    response = client.post(
        "/admin/signin/apitoken/",
        {"action": "revoke", "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    assert ApiToken.objects.filter(revoked_at__isnull=False, revoked_by=admin_user).count() == 2
    assert _get(client.__class__(), first_key).status_code == 401


def test_executives_do_not_see_the_sign_in_admin(client, executive):
    client.force_login(executive)

    assert client.get("/admin/signin/apitoken/").status_code == 403


def test_the_password_exchange_gives_a_token_that_expires(client, head, settings):
    settings.FLYWHEEL_API_TOKEN_DAYS = 10

    body = client.post(
        "/api/auth/token/", {"username": head.username, "password": "pass-word-123"}
    ).json()

    token = ApiToken.objects.get(user=head)
    assert body["token"][:8] == token.prefix and body["expires_at"]
    assert (token.expires_at - token.created_at) == timedelta(days=10)


def test_the_token_list_costs_the_same_queries_for_many_tokens(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    api_token_create(user=admin_user, name="first")
    with django_assert_max_num_queries(8) as few:
        client.get("/api/auth/tokens/")
    for n in range(12):
        api_token_create(user=factories.UserFactory(), name=f"t{n}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/auth/tokens/").json()["results"]) == 13
