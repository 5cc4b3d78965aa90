"""The CycloneDX schema check, in seconds rather than minutes at thousands of components.

The schema, its registry of referenced schemas and its draft are cyclonedx-python-lib's
own (the validator ``JsonStrictValidator`` builds); two of jsonschema's checks, which the
library inherits and which grow out of hand with a BOM's size, are replaced by equivalents:

- ``uniqueItems``: jsonschema compares the items of an array of objects pairwise (it cannot
  sort them), so the component list costs n^2/2 deep comparisons; here each item becomes a
  hashable canonical form (objects as sets of pairs, booleans apart from numbers as
  jsonschema's ``equal`` keeps them) and the check is one set, same verdict, same message;
- the ``iri-reference`` and ``iri`` formats: jsonschema checks them with rfc3987-syntax, an
  Earley parser of RFC 3987 at about 0.1 s per value; every URI is an IRI (RFC 3987 §2), so
  a value the RFC 3986 grammar (rfc3986-validator, jsonschema's own ``uri`` check) accepts
  passes at once and only the rest (non-ASCII characters, or invalid) goes to the parser.

Measured in bench/README.md ("The CycloneDX ML-BOM import").
"""

from functools import cache

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from django.utils.translation import gettext as _
from jsonschema import FormatChecker, ValidationError, validators
from rfc3986_validator import validate_rfc3986
from rfc3987_syntax import is_valid_syntax


def _canonical(value):
    if isinstance(value, dict):
        return ("object", frozenset((key, _canonical(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, int | float):
        return ("number", value)  # 1 and 1.0 are one number, as in jsonschema
    return ("other", value)


def unique_items(validator, unique, instance, schema):
    """jsonschema's ``uniqueItems`` (same verdict and message), in one pass over a set."""
    if (
        unique
        and validator.is_type(instance, "array")
        and len({_canonical(item) for item in instance}) != len(instance)
    ):
        yield ValidationError(
            _("%(instance)s has non-unique elements") % {"instance": repr(instance)}
        )


def _iri_check(rule: str, term: str):
    def check(instance) -> bool:
        if not isinstance(instance, str):
            return True
        return validate_rfc3986(instance, rule=rule) or is_valid_syntax(term, instance)

    return check


def _format_checker(base: FormatChecker) -> FormatChecker:
    checker = FormatChecker(())
    checker.checkers = dict(base.checkers)
    checker.checks("iri-reference", raises=ValueError)(_iri_check("URI_reference", "iri_reference"))
    checker.checks("iri", raises=ValueError)(_iri_check("URI", "iri"))
    return checker


@cache
def bom_validator(version: SchemaVersion):
    """The library's strict JSON validator for ``version``, with the two checks above."""
    library = JsonStrictValidator(version)._validator
    fast = validators.extend(type(library), {"uniqueItems": unique_items})
    return fast(
        library.schema,
        registry=library._registry,
        format_checker=_format_checker(library.format_checker),
    )
