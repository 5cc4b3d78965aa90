"""Velocity figures, flags and the stall diagnostic (read-only; the jobs compute them)."""

from dataclasses import asdict

import django_filters as filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.base import ReadOnlyFlywheelViewSet
from core.api.fast import FastRepresentationMixin, ValueRows
from portfolio.api.filters import IdFilter, date_range
from portfolio.models import Flag, VelocitySnapshot
from portfolio.models.velocity import SnapshotMeasure
from portfolio.selectors import sees_everything, use_case_visible_to
from portfolio.selectors_diagnostic import use_case_diagnostic

# --- serializers ----------------------------------------------------------------------------


class FlagSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    use_case_title = serializers.CharField(source="use_case.title", read_only=True)
    department = serializers.IntegerField(source="use_case.department_id", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "use_case",
            "use_case_title",
            "department",
            "kind",
            "reason",
            "raised_at",
            "cleared_at",
            "clear_reason",
            "is_open",
        ]


class VelocitySnapshotSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = VelocitySnapshot
        fields = [
            "id",
            "scope",
            "period",
            "measure",
            "use_case",
            "department",
            "position",
            "submitted_at",
            "value",
            "hold_days",
            "previous_use_case",
            "previous_value",
            "difference_days",
            "ratio",
            "label",
            "share_faster",
            "streak",
            "median_days",
            "computed_at",
        ]


class DiagnosticLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    colour = serializers.ChoiceField(choices=["green", "yellow", "red", "not_applicable"])
    reason = serializers.CharField()


class DiagnosticSerializer(serializers.Serializer):
    """The six lines of the stall diagnostic; three or more red lines mean a stall."""

    use_case = serializers.IntegerField()
    lines = DiagnosticLineSerializer(many=True)
    red_lines = serializers.IntegerField()
    stalled = serializers.BooleanField()


# --- filters --------------------------------------------------------------------------------


class FlagFilter(filters.FilterSet):
    use_case_id = IdFilter()
    department_id = IdFilter(field_name="use_case__department_id")
    open = filters.BooleanFilter(field_name="cleared_at", lookup_expr="isnull")
    raised_from, raised_to = date_range("raised_at")

    class Meta:
        model = Flag
        fields = ["kind"]


class VelocityFilter(filters.FilterSet):
    use_case_id = IdFilter()
    department_id = IdFilter()
    measure = filters.MultipleChoiceFilter(choices=SnapshotMeasure.choices)
    trends = filters.BooleanFilter(
        field_name="use_case", lookup_expr="isnull", label="Only the trend rows"
    )

    class Meta:
        model = VelocitySnapshot
        fields = ["scope", "period", "label"]


# --- views ----------------------------------------------------------------------------------


class FlagViewSet(ReadOnlyFlywheelViewSet):
    """Warnings raised by the jobs (slower than previous, pilot purgatory, ...), open and
    cleared; only those of use cases the requester may see."""

    queryset = Flag.objects.none()
    output_serializer_class = FlagSerializer
    filterset_class = FlagFilter
    ordering_fields = ["raised_at", "cleared_at", "id"]

    def get_queryset(self):
        flags = Flag.objects.select_related("use_case")
        if sees_everything(self.request.user):
            return flags
        return flags.filter(use_case__in=use_case_visible_to(user=self.request.user))


class VelocityViewSet(ReadOnlyFlywheelViewSet):
    """Velocity figures: per use case, each duration against the previous one; per
    department and portfolio, the trend, share faster and streak of slowdowns."""

    queryset = VelocitySnapshot.objects.none()
    output_serializer_class = VelocitySnapshotSerializer
    filterset_class = VelocityFilter
    list_rows = ValueRows(VelocitySnapshot)
    ordering_fields = ["position", "submitted_at", "computed_at", "id"]

    def get_queryset(self):
        rows = VelocitySnapshot.objects.order_by("scope", "measure", "position", "id")
        if sees_everything(self.request.user):
            # No visibility subquery for those who see everything: the page is an index range.
            return rows
        visible = use_case_visible_to(user=self.request.user)
        rows = rows.filter(Q(use_case__isnull=True) | Q(use_case__in=visible))
        return self.role_holders_only(rows)


class DiagnosticMixin:
    """``GET /api/use-cases/{id}/diagnostic/``: the six-line stall diagnostic."""

    @extend_schema(responses={200: DiagnosticSerializer})
    @action(detail=True, methods=["get"])
    def diagnostic(self, request, pk=None):
        use_case = self.get_object()
        result = use_case_diagnostic(use_case_id=use_case.pk)
        data = {
            "use_case": use_case.pk,
            "lines": [asdict(line) for line in result.lines],
            "red_lines": result.red_lines,
            "stalled": result.stalled,
        }
        return Response(DiagnosticSerializer(data).data)
