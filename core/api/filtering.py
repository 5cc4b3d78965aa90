"""The list filter backend: django-filter's, skipped when the request names no filter.

A FilterSet builds a form per request (deep copies of every filter and form field: several
milliseconds on a hot list). With none of its parameters in the query string every filter
is empty and leaves the queryset as it is, so the common request (a page, an ordering, a
format) does not build it at all.
"""

from django_filters.rest_framework import DjangoFilterBackend

# Query parameters the lists read that are not filters.
NOT_FILTERS = frozenset({"page", "format", "ordering"})


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if NOT_FILTERS.issuperset(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)
