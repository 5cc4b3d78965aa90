import django_filters

from signin.models import ApiToken, GroupMapping


class GroupMappingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="group", lookup_expr="icontains")
    department_id = django_filters.NumberFilter(field_name="department_id")
    board_id = django_filters.NumberFilter(field_name="board_id")

    class Meta:
        model = GroupMapping
        fields = ["role"]


class ApiTokenFilter(django_filters.FilterSet):
    user_id = django_filters.NumberFilter(field_name="user_id")
    revoked = django_filters.BooleanFilter(
        field_name="revoked_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = ApiToken
        fields = []
