"""Readings through the API: recorded and corrected, never edited or deleted."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action

from core.api.base import FlywheelViewSet
from portfolio import selectors, services
from portfolio.api import filters
from portfolio.api import serializers_evidence as e
from portfolio.models import MetricReading


def visible_use_cases(request):
    return selectors.use_case_visible_to(user=request.user)


class ReadingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Measured values of the metrics; readings are evidence and are never edited."""

    queryset = MetricReading.objects.none()
    output_serializer_class = e.ReadingSerializer
    input_serializers = {"create": e.ReadingCreateSerializer, "correct": e.ReadingCorrectSerializer}
    filterset_class = filters.ReadingFilter
    ordering_fields = ["measured_at", "id"]

    def get_queryset(self):
        return MetricReading.objects.filter(
            metric__use_case__in=visible_use_cases(self.request)
        ).select_related("superseded_by")

    @extend_schema(
        summary="Correct a reading: a new reading supersedes it; both stay on the record",
        request=e.ReadingCorrectSerializer,
        responses={201: e.ReadingSerializer},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        correction = services.reading_correct(
            actor=request.user, reading=self.get_object(), **self.parse()
        )
        return self.respond(correction, status.HTTP_201_CREATED)

    @extend_schema(
        examples=[
            OpenApiExample(
                "A weekly reading",
                request_only=True,
                value={"metric": 1, "value": "6.5", "measured_at": "2026-03-02T09:00:00Z"},
            )
        ]
    )
    def create(self, request):
        data = self.parse()
        reading = services.reading_add(
            actor=request.user,
            metric=data["metric"],
            value=data["value"],
            measured_at=data.get("measured_at"),
            note=data.get("note", ""),
        )
        return self.respond(reading, status.HTTP_201_CREATED)
