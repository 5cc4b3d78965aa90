from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api.strict import StrictSerializer
from core.events import event_types
from governance.models import Board
from integrations.models import EndpointKind, WebhookDelivery, WebhookEndpoint
from portfolio.models import Department


class EndpointInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    url = serializers.URLField(max_length=500)
    kind = serializers.ChoiceField(choices=EndpointKind.choices, default=EndpointKind.SIGNED_JSON)
    secret = serializers.CharField(max_length=200, min_length=16)
    event_types = serializers.ListField(child=serializers.CharField(max_length=40))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False
    )
    board = serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.all(), allow_null=True, required=False
    )
    active = serializers.BooleanField(default=True)

    def validate_event_types(self, value):
        known = {t.code for t in event_types()}
        unknown = sorted(set(value) - known)
        if not value:
            raise serializers.ValidationError(_("Name at least one event type."))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown event types: %(unknown)s.") % {"unknown": ", ".join(unknown)}
            )
        return value


class EndpointSerializer(serializers.ModelSerializer):
    """The secret is write-only: it is never shown back."""

    class Meta:
        model = WebhookEndpoint
        fields = (
            "id",
            "name",
            "url",
            "kind",
            "event_types",
            "department",
            "board",
            "active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
        )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "endpoint",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "response_status",
            "response_ms",
            "last_error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
            "payload",
        )
