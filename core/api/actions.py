"""GET /api/my-actions/: what waits for the requester, from every registered source."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actions import KIND_LABELS, actions_for


class ActionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    title = serializers.CharField()
    detail = serializers.CharField()
    path = serializers.CharField()
    due = serializers.DateField(source="due_date", allow_null=True)

    def get_kind_label(self, action) -> str:
        return KIND_LABELS.get(action.kind, action.kind)


class MyActionsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ActionSerializer(many=True)


class MyActionsView(APIView):
    """My inbox: sign-offs, votes, reviews to close, conditions and readings due, reviews
    I may request (a fixed number of queries)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MyActionsSerializer})
    def get(self, request):
        actions = actions_for(request.user)
        return Response(MyActionsSerializer({"count": len(actions), "results": actions}).data)
