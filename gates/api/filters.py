"""FilterSets of the gates API."""

import django_filters as filters

from gates.models import CriteriaSet, EvidenceSnapshot
from portfolio.api.filters import IdFilter, date_range


class CriteriaSetFilter(filters.FilterSet):
    class Meta:
        model = CriteriaSet
        fields = ["gate", "playbook", "is_current"]


class SnapshotFilter(filters.FilterSet):
    review_id = IdFilter()
    use_case_id = IdFilter(field_name="review__use_case_id")
    taken_from, taken_to = date_range("taken_at")

    class Meta:
        model = EvidenceSnapshot
        fields = ["recommendation"]
