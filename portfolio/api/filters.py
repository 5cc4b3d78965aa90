"""FilterSets of the portfolio API: ``<fk>_id`` filters, date ranges and a ``q`` search.

Id filters are plain integers, never validated against a table: a filter on another
department's draft must answer exactly like a filter on an id that does not exist.
"""

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from portfolio.choices import Origin, Playbook, RiskTier, State
from portfolio.models import (
    Artifact,
    DataGap,
    Department,
    Flag,
    Membership,
    Metric,
    MetricReading,
    Notification,
    TransitionRecord,
    UseCase,
)
from portfolio.models.velocity import FlagKind

BIGINT_MAX = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """An integer id (1 .. bigint max); anything else is a 400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


def date_range(field: str) -> tuple[filters.DateFilter, filters.DateFilter]:
    """``<name>_from`` / ``<name>_to`` filters on the date part of a timestamp (inclusive)."""
    return (
        filters.DateFilter(field_name=field, lookup_expr="date__gte"),
        filters.DateFilter(field_name=field, lookup_expr="date__lte"),
    )


class SearchFilterSet(filters.FilterSet):
    """A ``q`` search over ``search_fields`` (case-insensitive contains)."""

    search_fields: tuple[str, ...] = ()
    q = filters.CharFilter(method="search", max_length=200, label="Search")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        match = Q()
        for field in self.search_fields:
            match |= Q(**{f"{field}__icontains": value})
        return queryset.filter(match)


class DepartmentFilter(SearchFilterSet):
    search_fields = ("name", "slug", "description")

    class Meta:
        model = Department
        fields = ["slug"]


class MembershipFilter(filters.FilterSet):
    user_id = IdFilter()
    department_id = IdFilter()

    class Meta:
        model = Membership
        fields = ["role"]


class PersonFilter(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name")
    department_id = IdFilter(field_name="memberships__department_id", distinct=True)

    class Meta:
        model = get_user_model()
        fields = ["is_active"]


class UseCaseFilter(SearchFilterSet):
    search_fields = ("title", "problem_statement")
    department_id = IdFilter()
    outcome_owner_id = IdFilter()
    sponsor_id = IdFilter()
    template_id = IdFilter()
    state = filters.MultipleChoiceFilter(choices=State.choices)
    playbook = filters.MultipleChoiceFilter(choices=Playbook.choices)
    risk_tier = filters.MultipleChoiceFilter(choices=RiskTier.choices)
    origin = filters.ChoiceFilter(choices=Origin.choices)
    flag = filters.ChoiceFilter(
        choices=FlagKind.choices, method="open_flag", label="Has an open flag of this kind"
    )
    submitted_from, submitted_to = date_range("submitted_at")
    created_from, created_to = date_range("created_at")

    class Meta:
        model = UseCase
        fields = []

    def open_flag(self, queryset, name, value):
        open_flags = Flag.objects.filter(kind=value, cleared_at__isnull=True)
        return queryset.filter(pk__in=open_flags.values("use_case_id"))


class MetricFilter(SearchFilterSet):
    search_fields = ("name", "unit")
    use_case_id = IdFilter()
    department_id = IdFilter(field_name="use_case__department_id")
    paired_with_id = IdFilter()

    class Meta:
        model = Metric
        fields = ["kind", "cadence", "direction"]


class ReadingFilter(filters.FilterSet):
    metric_id = IdFilter()
    use_case_id = IdFilter(field_name="metric__use_case_id")
    measured_from, measured_to = date_range("measured_at")
    current = filters.BooleanFilter(
        field_name="superseded_by", lookup_expr="isnull", label="Only readings not corrected"
    )

    class Meta:
        model = MetricReading
        fields = []


class DataGapFilter(SearchFilterSet):
    search_fields = ("description", "closing_work", "work_owner")
    use_case_id = IdFilter()

    class Meta:
        model = DataGap
        fields = ["owner_committed", "blocks_production"]


class ArtifactFilter(filters.FilterSet):
    use_case_id = IdFilter()

    class Meta:
        model = Artifact
        fields = ["kind", "status"]


class TransitionFilter(filters.FilterSet):
    use_case_id = IdFilter()
    department_id = IdFilter(field_name="use_case__department_id")
    at_from, at_to = date_range("at")

    class Meta:
        model = TransitionRecord
        fields = ["transition", "from_state", "to_state"]


class NotificationFilter(filters.FilterSet):
    use_case_id = IdFilter()
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")

    class Meta:
        model = Notification
        fields = ["kind"]
