"""Forecasts at intake and their back-test (read-only; the velocity job computes them)."""

from dataclasses import asdict

import django_filters as filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.base import ReadOnlyFlywheelViewSet
from core.api.fast import FastRepresentationMixin
from core.api.filtering import QueryParameters
from core.roles import roles_of
from portfolio.api.filters import IdFilter
from portfolio.forecast import FORECAST_MEASURES
from portfolio.models import ForecastSnapshot
from portfolio.selectors import sees_everything, use_case_visible_to
from portfolio.selectors_forecast import back_test_figures, reuse_dividend


class ForecastSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = ForecastSnapshot
        fields = [
            "id",
            "scope",
            "measure",
            "use_case",
            "department",
            "submitted_at",
            "basis",
            "n",
            "days",
            "low",
            "high",
            "actual_days",
            "computed_at",
        ]


class BackTestSerializer(serializers.Serializer):
    """How the forecasts at submission did: per department and the portfolio, per measure."""

    scope = serializers.CharField()
    department_id = serializers.IntegerField(allow_null=True)
    department_name = serializers.CharField()
    measure = serializers.CharField(help_text="intake, pilot or to_scale")
    count = serializers.IntegerField(help_text="Completed use cases that had a forecast.")
    mean_absolute_error = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Days."
    )
    covered = serializers.IntegerField(help_text="Actual durations inside their 80% interval.")
    coverage = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True)


class BackTestQuerySerializer(QueryParameters):
    department_id = serializers.IntegerField(required=False, min_value=1)


class DividendRowSerializer(serializers.Serializer):
    template_id = serializers.IntegerField(required=False)
    template = serializers.CharField(required=False)
    department_id = serializers.IntegerField(required=False)
    department = serializers.CharField(required=False)
    use_cases = serializers.IntegerField()
    days = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Brought forward.")
    value = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="Brought forward.")
    no_estimate = serializers.IntegerField(help_text="Use cases with no benefit estimate.")


class ReuseDividendSerializer(serializers.Serializer):
    """Days brought forward = time-to-scale forecast at submission - actual time to scale;
    value = days x value per day; per template, department and the portfolio."""

    templates = DividendRowSerializer(many=True)
    departments = DividendRowSerializer(many=True)
    portfolio = DividendRowSerializer(allow_null=True)


class ForecastFilter(filters.FilterSet):
    use_case_id = IdFilter()
    department_id = IdFilter()
    measure = filters.MultipleChoiceFilter(choices=[(m, m) for m in FORECAST_MEASURES])
    next = filters.BooleanFilter(
        field_name="use_case",
        lookup_expr="isnull",
        label="Only the forecasts a submission would get now (per department and portfolio)",
    )
    completed = filters.BooleanFilter(
        field_name="actual_days",
        lookup_expr="isnull",
        exclude=True,
        label="Only forecasts whose duration has completed (the back-test's rows)",
    )

    class Meta:
        model = ForecastSnapshot
        fields = ["scope", "basis"]


class ForecastViewSet(ReadOnlyFlywheelViewSet):
    """Forecasts at intake: each use case's forecast at its submission (with its actual
    duration once completed), and the forecast a submission would get now per department
    and portfolio (``next=true``)."""

    queryset = ForecastSnapshot.objects.none()
    output_serializer_class = ForecastSerializer
    filterset_class = ForecastFilter
    ordering_fields = ["submitted_at", "days", "computed_at", "id"]

    def get_queryset(self):
        rows = ForecastSnapshot.objects.order_by("scope", "measure", "submitted_at", "id")
        if sees_everything(self.request.user):
            return rows
        visible = use_case_visible_to(user=self.request.user)
        rows = rows.filter(Q(use_case__isnull=True) | Q(use_case__in=visible))
        return self.role_holders_only(rows)

    @extend_schema(responses={200: ReuseDividendSerializer})
    @action(
        detail=False,
        methods=["get"],
        url_path="reuse-dividend",
        filterset_class=None,
        pagination_class=None,
        filter_backends=[],
    )
    def reuse_dividend(self, request):
        """The reuse dividend per template, department and the portfolio."""
        data = {"templates": [], "departments": [], "portfolio": None}
        if roles_of(request.user).reads_published:
            data = reuse_dividend()
        return Response(ReuseDividendSerializer(data).data)

    @extend_schema(
        parameters=[BackTestQuerySerializer], responses={200: BackTestSerializer(many=True)}
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="back-test",
        filterset_class=None,
        pagination_class=None,
        filter_backends=[],
    )
    def back_test(self, request):
        """Per department and the portfolio: mean absolute error and 80% coverage."""
        query = BackTestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = []
        if roles_of(request.user).reads_published:
            rows = back_test_figures(department_id=query.validated_data.get("department_id"))
        return Response(BackTestSerializer([asdict(r) for r in rows], many=True).data)
