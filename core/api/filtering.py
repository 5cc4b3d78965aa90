"""The list filter backend: django-filter's, strict about the query string, and skipped
when the request names no filter.

Strict: a list answers 400 for a query parameter it does not document (a misspelt filter
must not return everything), naming it and the accepted ones, in the one error format. The
accepted parameters are the list's filters (its FilterSet), ``page``, ``ordering``, the
pagination's page size when it has one, a search parameter when the list searches, and
``format``; the OpenAPI schema lists the same (tests/config/test_strict_lists.py).

Skipped: a FilterSet builds a form per request (deep copies of every filter and form field:
several milliseconds on a hot list). With none of its parameters in the query string every
filter is empty and leaves the queryset as it is, so the common request (a page, an
ordering, a format) does not build it at all.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.filters import OrderingFilter, SearchFilter

from core.errors import ApplicationError

# Query parameters the lists read that are not filters.
NOT_FILTERS = frozenset({"page", "format", "ordering"})


class UnknownParameter(ApplicationError):
    default_code = "unknown_parameter"


def accepted_parameters(view, queryset=None) -> list[str]:
    """Every query parameter a list view reads, sorted."""
    names = {"format"}
    filterset = FilterBackend().get_filterset_class(view, queryset)
    if filterset is not None:
        names |= set(filterset.base_filters)
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        names |= {
            name
            for name in (
                getattr(paginator, "page_query_param", None),
                getattr(paginator, "page_size_query_param", None),
            )
            if name
        }
    for backend in getattr(view, "filter_backends", ()):
        if issubclass(backend, OrderingFilter):
            names.add(backend.ordering_param)
        if issubclass(backend, SearchFilter) and getattr(view, "search_fields", None):
            names.add(backend.search_param)
    return sorted(names)


def parameters_check(request, view, queryset=None) -> None:
    """400 naming each query parameter a list does not accept, with the accepted ones."""
    query_parameters_check(request.query_params, accepted_parameters(view, queryset))


def query_parameters_check(query_params, accepted) -> None:
    """400 naming each query parameter not among ``accepted`` (``format`` always is)."""
    accepted = sorted({*accepted, "format"})
    unknown = sorted(set(query_params) - set(accepted))
    if unknown:
        message = _("Not a parameter of this list; accepted: %(accepted)s.") % {
            "accepted": ", ".join(accepted)
        }
        raise UnknownParameter(
            _("Unknown query parameter: %(unknown)s.") % {"unknown": ", ".join(unknown)},
            extra={"fields": {name: [message] for name in unknown}, "accepted": accepted},
        )


class QueryParameters(serializers.Serializer):
    """The query string of a view that is not a viewset's list (My actions, an export, a
    figure): its fields and ``format``, and nothing else, as strict as the lists."""

    def to_internal_value(self, data):
        query_parameters_check(data, self.fields)
        return super().to_internal_value(data)


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) == "list":
            parameters_check(request, view, queryset)
        if NOT_FILTERS.issuperset(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)
