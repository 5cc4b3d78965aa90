"""The change history of a use case through the API (portfolio.selectors_history)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from portfolio.selectors_history import use_case_history


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded change (portfolio.selectors_history): who, when, what, old and new."""

    at = serializers.DateTimeField()
    by = HistoryUserSerializer(allow_null=True)
    subject = serializers.ChoiceField(choices=["use_case", "metric", "data_gap", "reading"])
    subject_id = serializers.IntegerField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted", "corrected"])
    changes = HistoryChangeSerializer(many=True)
    reason = serializers.CharField(allow_blank=True)


class HistoryMixin:
    """``GET /api/use-cases/{id}/history/``: for whoever may read the use case (404 else)."""

    @extend_schema(
        summary="The change history: intake, metrics, data gaps, reading corrections",
        request=None,
        responses={200: HistoryEntrySerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        use_case = self.get_object()
        entries = use_case_history(use_case_id=use_case.pk)
        return Response([entry.as_dict() for entry in entries])
