"""Template context for the login pages (Flywheel's and the admin's)."""

from django.conf import settings

from signin import provider


def sign_in(request) -> dict:
    return {
        "provider_configured": provider.is_configured(),
        "provider_name": settings.OIDC_PROVIDER_NAME,
        "local_login_limited": provider.local_login_limited(),
    }
