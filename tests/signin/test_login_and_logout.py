"""The login page with and without a provider, break-glass local login, and logout that
ends the provider's session."""

import pytest
import requests
from django.contrib.auth import get_user_model

from signin.services import group_mapping_create
from tests import factories
from tests.signin.oidc import sign_in

User = get_user_model()
pytestmark = pytest.mark.django_db


def _log_in_locally(client, username):
    return client.post("/accounts/login/", {"username": username, "password": "pass-word-123"})


def test_with_nothing_configured_local_accounts_work_as_before(client, head):
    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    response = _log_in_locally(client, head.username)
    assert response.status_code == 302 and response["Location"] == "/"


def test_configured_the_login_page_offers_the_provider(client, configured):
    page = client.get("/accounts/login/?next=/reviews/").content.decode()

    assert "Sign in with Corp SSO" in page
    assert 'href="/oidc/authenticate/?next=/reviews/"' in page


def test_the_admin_login_offers_the_provider(client, configured):
    page = client.get("/admin/login/?next=/admin/").content.decode()

    assert "Sign in with Corp SSO" in page


def test_break_glass_keeps_local_passwords_for_administrators_only(
    client, settings, configured, head, admin_user
):
    settings.FLYWHEEL_LOCAL_LOGIN = "administrators"

    refused = _log_in_locally(client, head.username)
    admitted = _log_in_locally(client, admin_user.username)

    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    assert "administrators only" in refused.content.decode()
    assert admitted.status_code == 302


def test_break_glass_also_closes_the_api_password_exchange(client, settings, configured, head):
    settings.FLYWHEEL_LOCAL_LOGIN = "administrators"

    response = client.post(
        "/api/auth/token/", {"username": head.username, "password": "pass-word-123"}
    )

    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_break_glass_without_a_provider_changes_nothing(client, settings, head):
    settings.FLYWHEEL_LOCAL_LOGIN = "administrators"

    assert _log_in_locally(client, head.username).status_code == 302


def test_logout_ends_the_provider_session_too(client, configured):
    group_mapping_create(group="leadership", role="executive")
    configured.person("ines", groups=["leadership"])
    browser = requests.Session()
    sign_in(client, configured, "ines", browser=browser)
    assert configured.signed_in_as(browser) == "ines"

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(f"{configured.url}/o/logout/?id_token_hint=")
    back = browser.get(end_session, allow_redirects=False, timeout=10)
    assert back.headers["Location"].startswith("http://testserver/accounts/login/")
    assert configured.signed_in_as(browser) is None
    assert "_auth_user_id" not in client.session


def test_logout_of_a_local_account_stays_local(client, configured, head):
    client.force_login(head)

    response = client.post("/accounts/logout/")

    assert response["Location"] == "http://testserver/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_logout_from_the_admin_ends_the_provider_session_too(client, configured):
    group_mapping_create(group="leadership", role="executive")
    configured.person("ines", groups=["leadership"])
    sign_in(client, configured, "ines")

    response = client.post("/admin/logout/")

    assert response["Location"].startswith(f"{configured.url}/o/logout/")


def test_an_inactive_person_cannot_sign_in(client, configured):
    group_mapping_create(group="leadership", role="executive")
    configured.person("ines", groups=["leadership"])
    sign_in(client, configured, "ines")
    client.logout()
    User.objects.filter(username="ines").update(is_active=False)

    response = sign_in(client, configured, "ines")

    assert response["Location"] == "/signin/failed/"
    assert "_auth_user_id" not in client.session


def test_a_person_without_roles_sees_the_no_role_page_only_when_signed_in(client):
    assert client.get("/signin/no-role/")["Location"].startswith("/accounts/login/")
    client.force_login(factories.UserFactory())
    assert client.get("/signin/no-role/").status_code == 200


def test_an_unreachable_provider_gives_a_clear_page_not_a_500(client, settings, configured):
    from tests.signin.oidc import free_port

    settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"

    response = client.get("/oidc/authenticate/")

    assert response.status_code == 503
    assert "Sign-in did not succeed" in response.content.decode()


def test_an_administrator_links_a_local_account_in_the_admin(client, admin_user, head):
    client.force_login(admin_user)

    response = client.post(
        "/admin/signin/identity/add/",
        {"user": head.pk, "issuer": "https://login.example.com/", "subject": "00u1abc"},
    )

    assert response.status_code == 302
    identity = head.identities.get()
    assert (identity.issuer, identity.subject) == ("https://login.example.com", "00u1abc")
