"""GET /api/my-actions/: what waits for the requester, from every registered source."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actions import KIND_LABELS, actions_for
from core.api.filtering import QueryParameters


class ActionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    title = serializers.CharField()
    detail = serializers.CharField()
    path = serializers.CharField()
    due = serializers.DateField(source="due_date", allow_null=True)

    def get_kind_label(self, action) -> str:
        return KIND_LABELS.get(action.kind, action.kind)


class MyActionsQuery(QueryParameters):
    kind = serializers.CharField(required=False)

    def validate_kind(self, value):
        if value not in KIND_LABELS:
            raise serializers.ValidationError(
                _("Choose one of %(kinds)s.") % {"kinds": ", ".join(KIND_LABELS)}
            )
        return value


class MyActionsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ActionSerializer(many=True)


class MyActionsView(APIView):
    """My inbox: sign-offs, votes, reviews to close, conditions and readings due, reviews
    I may request (a fixed number of queries)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                description="Only actions of this kind "
                "(sign_off, vote, close_review, condition_due, reading_due, request_review).",
            )
        ],
        responses={200: MyActionsSerializer},
    )
    def get(self, request):
        query = MyActionsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        actions = actions_for(request.user)
        if "kind" in query.validated_data:
            actions = [a for a in actions if a.kind == query.validated_data["kind"]]
        return Response(MyActionsSerializer({"count": len(actions), "results": actions}).data)
