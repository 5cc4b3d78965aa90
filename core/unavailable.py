"""Database unavailable: 503 with Retry-After, never a 500.

The API answers in the one error format; the web gets a plain page (template 503.html,
styled by the console; it queries nothing).
Caught three ways, so that no path escapes: the API's exception handler (DRF views), this
middleware's process_exception (any view, also with DEBUG on) and handler500 (an error
raised in a middleware, e.g. loading the session). "database is locked" after SQLite's wait
is the same answer: the change was not made, try again shortly.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext_lazy
from django.views.defaults import server_error

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = (OperationalError, InterfaceError)
MESSAGE = gettext_lazy("The database is not answering; nothing was changed. Try again shortly.")


def unavailable_api_response() -> JsonResponse:
    response = JsonResponse(
        {"code": "database_unavailable", "message": MESSAGE, "retry_after": RETRY_AFTER_SECONDS},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_response(request):
    """503 for this request: JSON under /api/, the plain page elsewhere."""
    if request.path.startswith("/api/"):
        return unavailable_api_response()
    # The page (console's 503.html) asks nothing of the database.
    response = SimpleTemplateResponse("503.html", {"reason": MESSAGE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response.render()


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            logger.error("database unavailable: %s", exception)
            return unavailable_response(request)
        return None


def server_error_or_unavailable(request, *args, **kwargs):
    """handler500: a database that does not answer is a 503, anything else the usual 500."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable_response(request)
    return server_error(request, *args, **kwargs)
