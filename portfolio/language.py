"""The language a person's pages and e-mails speak: their profile's choice, else the browser's.

``PersonLanguageMiddleware`` replaces Django's LocaleMiddleware (it keeps its response
headers): a signed-in person's profile language first, then the language cookie the
switcher sets, then Accept-Language; under /api/ only Accept-Language.
"""

from collections.abc import Iterable

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from core.i18n import from_accept_language, supported
from core.unavailable import UNAVAILABLE
from portfolio.models import Profile


def language_of(user) -> str:
    """The language a person chose in their profile, or "" (1 query, cached on the user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if not hasattr(user, "_flywheel_language"):
        chosen = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True)
        user._flywheel_language = supported(next(iter(chosen), ""))
    return user._flywheel_language


def languages_of(user_ids: Iterable[int]) -> dict[int, str]:
    """User id -> the language chosen in their profile, for the ones who chose (1 query)."""
    rows = Profile.objects.filter(user_id__in=set(user_ids)).exclude(language="")
    return {pk: supported(code) for pk, code in rows.values_list("user_id", "language")}


def mail_language(code: str) -> str:
    """The language to write to a person in: their choice, else the site's default."""
    return supported(code) or settings.LANGUAGE_CODE


class PersonLanguageMiddleware(LocaleMiddleware):
    """Activates the request's language (after AuthenticationMiddleware)."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            language = from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        else:
            try:
                language = language_of(getattr(request, "user", None))
            except UNAVAILABLE:
                # The database does not answer: the browser's language here, and the view's
                # first query answers 503 (core.unavailable), never a 500 from a middleware.
                language = ""
            language = language or translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
