"""The requester's own notification preferences: per kind, at once / daily digest / off."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.models import Delivery
from portfolio.services.notifications import (
    notification_preference_set,
    notification_preferences,
)


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=40)
    label = serializers.CharField(read_only=True)
    delivery = serializers.ChoiceField(choices=Delivery.choices)


class NotificationPreferencesView(APIView):
    """GET every kind with my choice; PUT one kind's choice. Personal: executives too."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PreferenceSerializer(many=True)})
    def get(self, request):
        return Response(
            PreferenceSerializer(notification_preferences(user=request.user), many=True).data
        )

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer(many=True)})
    def put(self, request):
        parsed = PreferenceSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        notification_preference_set(user=request.user, **parsed.validated_data)
        return self.get(request)
