"""The company's identity provider as configured: its discovery document and endpoints.

The endpoints come from the discovery document (fetched once, kept for an hour), so an
administrator sets only the issuer, the client id and secret.
"""

import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.shortcuts import resolve_url
from mozilla_django_oidc.utils import import_from_settings

DISCOVERY_TTL_SECONDS = 3600
_documents: dict[str, tuple[float, dict]] = {}

# mozilla-django-oidc setting -> discovery document field.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def is_configured() -> bool:
    """Sign-in with the provider is on when issuer, client id and secret are all set."""
    return bool(
        settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET
    )


def local_login_limited() -> bool:
    """Local passwords are kept for administrators only (break-glass)."""
    return is_configured() and settings.FLYWHEEL_LOCAL_LOGIN == "administrators"


def discovery_url() -> str:
    return settings.OIDC_DISCOVERY_URL or (
        settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
    )


def cached_discovery() -> dict | None:
    """The discovery document if it has been read and is still fresh (never fetches)."""
    cached = _documents.get(discovery_url())
    if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
        return cached[1]
    return None


def discovery() -> dict:
    """The provider's discovery document (cached per URL)."""
    url = discovery_url()
    cached = _documents.get(url)
    if cached and time.monotonic() - cached[0] < DISCOVERY_TTL_SECONDS:
        return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"Cannot read {url}: {exc}") from exc
    _documents[url] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    """Drop the cached discovery documents (after the provider's settings change)."""
    _documents.clear()


def setting(attr, *default):
    """mozilla-django-oidc's settings reader, with the endpoints taken from discovery."""
    if attr in ENDPOINTS and not getattr(settings, attr, None):
        return discovery().get(ENDPOINTS[attr])
    if attr == "OIDC_OP_LOGOUT_URL_METHOD":
        return "signin.provider.logout_url"
    return import_from_settings(attr, *default)


def logout_url(request) -> str:
    """Where to send a person who logs out: the provider's end_session_endpoint (so that
    the provider session ends too) when it has one, else Flywheel's login page."""
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    try:
        end_session = discovery().get("end_session_endpoint") if is_configured() else None
    except ProviderUnavailable:
        end_session = None
    if not (end_session and id_token):
        return back
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": back,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{end_session}?{query}"
