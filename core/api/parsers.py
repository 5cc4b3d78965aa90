"""The API's JSON parser with bounds: a body nested deeper than MAX_DEPTH is refused with 400
(the size bound is Django's DATA_UPLOAD_MAX_MEMORY_SIZE, answered 400 by the error handler)."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(
                _("JSON nested deeper than %(max_depth)s levels.") % {"max_depth": self.max_depth}
            ) from exc
        if json_depth(data) > self.max_depth:
            raise ParseError(
                _("JSON nested deeper than %(max_depth)s levels.") % {"max_depth": self.max_depth}
            )
        return data

    @property
    def max_depth(self) -> int:
        return getattr(settings, "FLYWHEEL_MAX_JSON_DEPTH", MAX_DEPTH)
