"""Text that enters and leaves safely (pure: no I/O).

Control characters have no place in what people write: a vertical tab or a NUL pasted into
a title is invisible on the page, refused by a spreadsheet (openpyxl raises on it), by XML
and by PostgreSQL (NUL). So:

- at input every interface refuses them, naming the field (``CONTROL_MESSAGE``): the API's
  input serializers (core.api.strict), every web and admin form (core.bounds) and the
  inventory import. Tab, line feed and carriage return stay allowed: they are how a text
  area holds lines, and a single-line input cannot send them.
- at output, text stored before this rule (or written straight into the database) is made
  safe wherever it leaves: ``printable`` replaces each control character with U+FFFD, so one
  odd cell never fails an export, a chat message or a webhook.
"""

import re

from django.utils.translation import gettext_lazy

# C0 controls except tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
REPLACEMENT = "\ufffd"
CONTROL_MESSAGE = gettext_lazy(
    "Remove the control characters (invisible characters such as U+000B) from this text."
)


def has_control(value) -> bool:
    """True for text holding a control character other than tab, line feed or return."""
    return isinstance(value, str) and CONTROL.search(value) is not None


def printable(value):
    """The value with each control character replaced by U+FFFD (non-text unchanged)."""
    if isinstance(value, str) and CONTROL.search(value):
        return CONTROL.sub(REPLACEMENT, value)
    return value


def printable_deep(value):
    """``printable`` through dicts and lists (a JSON payload)."""
    if isinstance(value, dict):
        return {key: printable_deep(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable_deep(item) for item in value]
    return printable(value)
