"""Authentication backends: the provider (OpenID Connect) and local passwords.

mozilla-django-oidc checks the ID token's signature, algorithm, expiry and nonce; it does
not check who issued the token or for whom. ``ProviderBackend`` adds both: a token whose
``iss`` is not the configured issuer, or whose ``aud`` does not name this client, is
refused. People are found by (issuer, subject), never by e-mail.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests import RequestException

from core.roles import roles_of
from signin import provider
from signin.services import person_sign_in

logger = logging.getLogger(__name__)


class LocalAccountBackend(ModelBackend):
    """Username and password. With the provider configured and FLYWHEEL_LOCAL_LOGIN set to
    "administrators", only administrators may use a local password (break-glass); this
    covers the login page, the admin's login and the API's token exchange alike."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        return not provider.local_login_limited() or roles_of(user).is_admin


def groups_in(claims: dict) -> list[str]:
    """The person's groups from the configured claim (a list, or one string)."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [str(group) for group in value]


class ProviderBackend(OIDCAuthenticationBackend):
    """Sign-in with the company's provider (authorization code flow, PKCE, nonce)."""

    get_settings = staticmethod(provider.setting)

    def __init__(self, *args, **kwargs):
        # Endpoints are read when a sign-in happens, not on every password login.
        self.UserModel = get_user_model()

    # The library's attribute names, read when used (the endpoints from discovery).
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider.setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider.setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider.setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the provider's callback passes a nonce; password logins never reach here.
        if "nonce" not in kwargs or not provider.is_configured():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, RequestException, provider.ProviderUnavailable) as exc:
            logger.warning("sign-in with the provider refused: %s", exc)
            return None

    def verify_token(self, token, **kwargs):
        """The library's checks, then the issuer and the audience."""
        payload = super().verify_token(token, **kwargs)
        issuer = settings.OIDC_ISSUER.rstrip("/")
        if str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation(f"ID token issued by {payload.get('iss')!r}, not {issuer!r}")
        audience = payload.get("aud")
        audience = [audience] if isinstance(audience, str) else list(audience or [])
        if settings.OIDC_RP_CLIENT_ID not in audience:
            raise SuspiciousOperation("ID token not issued for this client")
        if not payload.get("sub"):
            raise SuspiciousOperation("ID token without a subject")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") not in (None, payload["sub"]):
            raise SuspiciousOperation("userinfo describes another subject than the ID token")
        # Userinfo wins; a claim only the ID token carries (Entra ID's groups) is kept.
        claims = {**payload, **userinfo}
        user, changes = person_sign_in(
            issuer=payload["iss"].rstrip("/"),
            subject=str(payload["sub"]),
            claims=claims,
            groups=groups_in(claims),
        )
        logger.info(
            "signed in %s: granted %s, removed %s", user.username, changes.granted, changes.removed
        )
        return user
