"""Serializers of the evidence beside a use case: metrics, readings, data gaps, artifacts,
and the notifications about them. Output serializers render, input serializers parse shape."""

from rest_framework import serializers

from core.api.strict import StrictModelSerializer, StrictSerializer
from core.bounds import MEASURE_BOUNDS
from portfolio.api.fields import VisibleMetricField, VisibleUseCaseField
from portfolio.choices import ArtifactKind, ArtifactStatus
from portfolio.intake import GAP_FIELDS, METRIC_FIELDS
from portfolio.models import Artifact, DataGap, Metric, MetricReading, Notification


class MetricSerializer(serializers.ModelSerializer):
    locked = serializers.SerializerMethodField()

    class Meta:
        model = Metric
        fields = [
            "id",
            "use_case",
            *METRIC_FIELDS,
            "locked",
            "retired_at",
            "created_at",
        ]

    def get_locked(self, metric) -> bool:
        """Baseline and target are locked since G0 (a change is a re-baselining request)."""
        return metric.use_case.metrics_locked_at is not None


class MetricCreateSerializer(StrictModelSerializer):
    use_case = VisibleUseCaseField()
    paired_with = VisibleMetricField(required=False, allow_null=True)

    class Meta:
        model = Metric
        fields = ["use_case", *METRIC_FIELDS]
        # A metric is measured against where it started: no baseline, no metric.
        extra_kwargs = {
            "baseline": {"required": True, "allow_null": False, **MEASURE_BOUNDS},
            "target": MEASURE_BOUNDS,
        }


class MetricUpdateSerializer(StrictModelSerializer):
    paired_with = VisibleMetricField(required=False, allow_null=True)

    class Meta:
        model = Metric
        fields = list(METRIC_FIELDS)
        extra_kwargs = {
            "baseline": {"allow_null": False, **MEASURE_BOUNDS},
            "target": MEASURE_BOUNDS,
        }


class ReadingSerializer(serializers.ModelSerializer):
    """A reading as recorded; ``superseded_by`` names the correction that replaced it."""

    superseded_by = serializers.SerializerMethodField()

    class Meta:
        model = MetricReading
        fields = [
            "id",
            "metric",
            "value",
            "measured_at",
            "recorded_by",
            "note",
            "created_at",
            "supersedes",
            "correction_reason",
            "superseded_by",
        ]

    def get_superseded_by(self, reading) -> int | None:
        try:
            return reading.superseded_by.pk
        except MetricReading.superseded_by.RelatedObjectDoesNotExist:
            return None


class ReadingCorrectSerializer(StrictSerializer):
    """A correction: the right value, why, and (if it differs) when it was measured."""

    value = serializers.DecimalField(max_digits=18, decimal_places=4, **MEASURE_BOUNDS)
    reason = serializers.CharField(max_length=2000)
    measured_at = serializers.DateTimeField(required=False)


class ReadingCreateSerializer(StrictModelSerializer):
    metric = VisibleMetricField()
    measured_at = serializers.DateTimeField(required=False)

    class Meta:
        model = MetricReading
        fields = ["metric", "value", "measured_at", "note"]
        extra_kwargs = {"value": MEASURE_BOUNDS}


class DataGapSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataGap
        fields = ["id", "use_case", *GAP_FIELDS]


class DataGapCreateSerializer(StrictModelSerializer):
    use_case = VisibleUseCaseField()

    class Meta:
        model = DataGap
        fields = ["use_case", *GAP_FIELDS]


class DataGapUpdateSerializer(StrictModelSerializer):
    class Meta:
        model = DataGap
        fields = list(GAP_FIELDS)


class ArtifactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artifact
        fields = ["id", "use_case", "kind", "status", "content", "updated_at", "updated_by"]


class ArtifactInputSerializer(StrictSerializer):
    use_case = VisibleUseCaseField()
    kind = serializers.ChoiceField(choices=ArtifactKind.choices)
    status = serializers.ChoiceField(choices=ArtifactStatus.choices, default=ArtifactStatus.DRAFT)
    content = serializers.CharField(allow_blank=True, max_length=100_000)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "use_case", "created_at", "read_at"]
