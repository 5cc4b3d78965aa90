"""Languages: which one a request is answered in, from what the browser or client asks for.

The pages take the person's own choice first (portfolio.language); the API takes only the
request's Accept-Language, so a client gets its errors in the language it asks for whatever
a browser session chose before.
"""

from django.conf import settings
from django.utils import formats, translation
from django.utils.functional import lazy
from django.utils.translation.trans_real import parse_accept_lang_header


def supported(code: str) -> str:
    """The shipped language closest to ``code`` ("de-AT" -> "de", "en-US" -> "en-gb"), or ""."""
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


def from_accept_language(header: str) -> str:
    """The first shipped language the header asks for, in its order of preference; else the
    default language."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            break
        found = supported(code)
        if found:
            return found
    return settings.LANGUAGE_CODE


def _date_shown(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# A date written out in the language active when the text is read ("1 March 2026",
# "1. März 2026", "1 mars 2026"), for a message built lazily (format_lazy) before it is known
# who reads it.
lazy_date = lazy(_date_shown, str)
