"""Sign-in: local accounts, the company's identity provider (OpenID Connect), API tokens.

With no provider configured, people log in with local accounts exactly as before. Setting
OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET turns on sign-in with the provider; the
endpoints are read from the provider's discovery document (OIDC_DISCOVERY_URL, by default
<issuer>/.well-known/openid-configuration). FLYWHEEL_LOCAL_LOGIN=administrators keeps local
passwords for administrators only (break-glass).
"""

import environ

env = environ.Env()

OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL", default="")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
# The claim that lists the person's groups (Entra ID: "groups" or "roles"; Okta and
# Keycloak: whatever the groups mapper is called, usually "groups").
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your company account")
# "everyone" (the default) or "administrators": who may still log in with a local password.
FLYWHEEL_LOCAL_LOGIN = env("FLYWHEEL_LOCAL_LOGIN", default="everyone")

# A session started with the provider lasts this long; the next sign-in re-reads the groups.
FLYWHEEL_PROVIDER_SESSION_HOURS = env.int("FLYWHEEL_PROVIDER_SESSION_HOURS", default=8)

# mozilla-django-oidc: PKCE and a nonce on every request, the ID token kept in the session
# for the provider's logout, bounded waits on the provider.
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_VERIFY_SSL = env.bool("OIDC_VERIFY_SSL", default=True)
OIDC_AUTHENTICATE_CLASS = "signin.web.ProviderRedirectView"
OIDC_CALLBACK_CLASS = "signin.web.ProviderCallbackView"

# API tokens for scripts: how long a new token lives, and the longest anyone may ask for.
FLYWHEEL_API_TOKEN_DAYS = env.int("FLYWHEEL_API_TOKEN_DAYS", default=90)
FLYWHEEL_API_TOKEN_MAX_DAYS = env.int("FLYWHEEL_API_TOKEN_MAX_DAYS", default=365)
