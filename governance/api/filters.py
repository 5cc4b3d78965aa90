"""FilterSets of the governance API."""

import django_filters as filters

from gates.choices import Gate, Purpose, ReviewStatus
from gates.models import GateReview
from governance.choices import RebaselineKind
from governance.models import (
    BoardMember,
    Condition,
    Decision,
    Delegation,
    RebaselineRequest,
    Recusal,
    Vote,
)
from portfolio.api.filters import IdFilter, SearchFilterSet, date_range


class ReviewFilter(SearchFilterSet):
    search_fields = ("use_case__title", "reason")
    use_case_id = IdFilter()
    department_id = IdFilter(field_name="use_case__department_id")
    gate = filters.MultipleChoiceFilter(choices=Gate.choices)
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)
    purpose = filters.ChoiceFilter(choices=Purpose.choices)
    requested_from, requested_to = date_range("requested_at")

    class Meta:
        model = GateReview
        fields = []


class VoteFilter(filters.FilterSet):
    review_id = IdFilter()
    member_id = IdFilter()
    use_case_id = IdFilter(field_name="review__use_case_id")

    class Meta:
        model = Vote
        fields = ["choice"]


class RecusalFilter(filters.FilterSet):
    review_id = IdFilter()
    member_id = IdFilter()

    class Meta:
        model = Recusal
        fields = ["automatic"]


class DecisionFilter(filters.FilterSet):
    review_id = IdFilter()
    board_id = IdFilter()
    use_case_id = IdFilter(field_name="review__use_case_id")
    department_id = IdFilter(field_name="review__use_case__department_id")
    gate = filters.MultipleChoiceFilter(field_name="review__gate", choices=Gate.choices)
    decided_from, decided_to = date_range("decided_at")

    class Meta:
        model = Decision
        fields = ["verdict", "is_override"]


class ConditionFilter(filters.FilterSet):
    decision_id = IdFilter()
    use_case_id = IdFilter(field_name="decision__review__use_case_id")
    due_from, due_to = (
        filters.DateFilter(field_name="due_date", lookup_expr="gte"),
        filters.DateFilter(field_name="due_date", lookup_expr="lte"),
    )

    class Meta:
        model = Condition
        fields = ["status"]


class RebaselineFilter(filters.FilterSet):
    metric_id = IdFilter()
    use_case_id = IdFilter()
    kind = filters.ChoiceFilter(choices=RebaselineKind.choices)
    requested_from, requested_to = date_range("requested_at")

    class Meta:
        model = RebaselineRequest
        fields = []


class BoardMemberFilter(filters.FilterSet):
    board_id = IdFilter()
    user_id = IdFilter()

    class Meta:
        model = BoardMember
        fields = ["active", "is_voting", "is_chair"]


class DelegationFilter(filters.FilterSet):
    delegator_id = IdFilter()
    delegate_id = IdFilter()

    class Meta:
        model = Delegation
        fields = []
