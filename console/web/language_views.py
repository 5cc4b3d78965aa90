"""The language switcher: the choice is kept on the person's profile (their e-mails follow it)
and in the language cookie (for the login page and anyone not signed in)."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from portfolio.services.people import profile_language_set


@require_POST
def language_choose(request):
    """Keep the chosen language, then Django's set_language sets the cookie and goes back."""
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        profile_language_set(user=request.user, language=code)
    return set_language(request)
