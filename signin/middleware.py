"""Let the pages' forms lead to the provider (sign-in, logout through its end-session page).

The content security policy allows forms to submit only to this site (``form-action
'self'``); browsers apply that to the redirects a submission follows too, so logging out
(a POST that redirects to the provider's end-session endpoint) would stop at the policy.
With sign-in configured, the provider's origins are added to ``form-action``, and nothing
else is widened.
"""

from urllib.parse import urlsplit

from signin import provider


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def provider_origins() -> list[str]:
    """The issuer's origin and, once discovery has been read, the end-session endpoint's."""
    if not provider.is_configured():
        return []
    from django.conf import settings

    origins = {_origin(settings.OIDC_ISSUER)}
    document = provider.cached_discovery()
    if document:
        origins.add(_origin(document.get("end_session_endpoint", "")))
        origins.add(_origin(document.get("authorization_endpoint", "")))
    return sorted(origin for origin in origins if origin)


class ProviderFormActionMiddleware:
    """Adds the provider's origins to the response's ``form-action`` (django-csp 4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = provider_origins()
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), *origins]
            response._csp_update = update
        return response
