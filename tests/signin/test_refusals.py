"""Tokens Flywheel must refuse, from real providers: another issuer, another key, tampering."""

import base64
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation

from signin.backends import ProviderBackend
from signin.models import Identity
from signin.services import group_mapping_create
from tests.signin.oidc import sign_in, use_provider

User = get_user_model()
pytestmark = pytest.mark.django_db


def _id_token_after_sign_in(client, provider, username) -> str:
    response = sign_in(client, provider, username)
    assert response.status_code == 302 and "/signin/" not in response["Location"], response
    return client.session["oidc_id_token"]


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_sign_in_whose_token_another_issuer_signed_is_refused(client, settings, providers):
    company, other = providers["company"], providers["other"]
    group_mapping_create(group="leadership", role="executive")
    # Flywheel trusts the company's issuer, but the endpoints answer for another provider.
    use_provider(settings, other, issuer=company.issuer)
    other.person("mallory", groups=["leadership"])

    response = sign_in(client, other, "mallory")

    assert response.status_code == 302 and response["Location"] == "/signin/failed/"
    assert not User.objects.exists() and not Identity.objects.exists()
    assert "_auth_user_id" not in client.session
    page = client.get("/signin/failed/")
    assert page.status_code == 403
    assert "Sign-in did not succeed" in page.content.decode()


def test_a_token_signed_with_another_key_is_refused(client, settings, providers):
    company, impostor = providers["company"], providers["impostor"]
    group_mapping_create(group="leadership", role="executive")
    # The impostor claims the company's issuer and signs with its own key.
    use_provider(settings, impostor)
    impostor.person("mallory", groups=["leadership"])
    forged = _id_token_after_sign_in(client, impostor, "mallory")
    assert _claims(forged)["iss"] == company.issuer

    use_provider(settings, company)
    with pytest.raises(SuspiciousOperation):
        ProviderBackend().verify_token(forged, nonce=_claims(forged)["nonce"])


def test_a_token_whose_claims_were_changed_after_signing_is_refused(client, settings, company):
    use_provider(settings, company)
    group_mapping_create(group="staff", role="executive")
    company.person("ines", groups=["staff"])
    token = _id_token_after_sign_in(client, company, "ines")
    backend = ProviderBackend()
    nonce = _claims(token)["nonce"]
    assert backend.verify_token(token, nonce=nonce)["sub"]

    header, _, signature = token.split(".")
    claims = {**_claims(token), "groups": ["staff", "administrators"]}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(SuspiciousOperation):
        backend.verify_token(f"{header}.{payload}.{signature}", nonce=nonce)


def test_a_token_for_another_client_is_refused(client, settings, company):
    use_provider(settings, company)
    group_mapping_create(group="staff", role="executive")
    company.person("ines", groups=["staff"])
    token = _id_token_after_sign_in(client, company, "ines")
    settings.OIDC_RP_CLIENT_ID = "another-app"

    with pytest.raises(SuspiciousOperation, match="this client"):
        ProviderBackend().verify_token(token, nonce=_claims(token)["nonce"])
