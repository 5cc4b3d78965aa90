"""Gates serializers: criteria sets (versioned) and the frozen evidence snapshots."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api.strict import StrictSerializer
from core.bounds import MEASURE_BOUNDS
from gates.choices import Comparator, CriterionKind, Gate
from gates.models import CRITERION_FIELDS, CriteriaSet, Criterion, EvidenceSnapshot
from gates.registry import measurable_choices
from portfolio.choices import ArtifactKind, Playbook


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "position", *CRITERION_FIELDS]


class CriteriaSetSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "gate",
            "playbook",
            "version",
            "is_current",
            "pass_mark",
            "name",
            "notes",
            "supersedes",
            "created_at",
            "criteria",
        ]


class CriterionInputSerializer(StrictSerializer):
    """One criterion to write: the fields of gates.models.CRITERION_FIELDS, each with its
    bounds (tests/gates pin that the two lists agree)."""

    label = serializers.CharField(max_length=160)
    # Filled per instance: the registered measurables are known once the apps are ready.
    measurable = serializers.ChoiceField(choices=())
    metric_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    artifact_kind = serializers.ChoiceField(
        choices=ArtifactKind.choices, required=False, allow_blank=True
    )
    comparator = serializers.ChoiceField(choices=Comparator.choices)
    threshold = serializers.DecimalField(max_digits=18, decimal_places=4, **MEASURE_BOUNDS)
    threshold_high = serializers.DecimalField(
        max_digits=18, decimal_places=4, required=False, allow_null=True, **MEASURE_BOUNDS
    )
    kind = serializers.ChoiceField(choices=CriterionKind.choices)
    weight = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measurable"].choices = measurable_choices()

    def validate(self, attrs):
        if attrs["comparator"] == Comparator.BETWEEN and (
            attrs.get("threshold_high") is None or attrs["threshold_high"] < attrs["threshold"]
        ):
            raise serializers.ValidationError(
                {"threshold_high": [_("'between' needs an upper bound at least the threshold.")]}
            )
        return attrs


class CriteriaSetInputSerializer(StrictSerializer):
    gate = serializers.ChoiceField(choices=Gate.choices)
    playbook = serializers.ChoiceField(choices=Playbook.choices, required=False, allow_blank=True)
    pass_mark = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    criteria = CriterionInputSerializer(many=True, allow_empty=False, max_length=100)


class CriteriaSetReviseSerializer(StrictSerializer):
    pass_mark = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    criteria = CriterionInputSerializer(many=True, required=False, max_length=100)


class EvidenceSnapshotSerializer(serializers.ModelSerializer):
    rows = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = EvidenceSnapshot
        fields = [
            "id",
            "review",
            "criteria_set",
            "taken_at",
            "taken_by",
            "recommendation",
            "score",
            "pass_mark",
            "rows",
        ]
