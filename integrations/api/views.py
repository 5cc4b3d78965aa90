"""Webhook endpoints (administrators register, change, enable) and the delivery log."""

from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated

from core.api.base import FlywheelViewSet, ReadOnlyFlywheelViewSet
from core.roles import roles_of
from integrations import services
from integrations.api import filters
from integrations.api import serializers as s
from integrations.models import WebhookDelivery, WebhookEndpoint


class AdministratorsOnly(BasePermission):
    """Endpoints hold secrets and reach outside: administrators only, reads included."""

    message = "Only portfolio administrators manage webhooks."

    def has_permission(self, request, view) -> bool:
        return roles_of(request.user).is_admin


class WebhookEndpointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, FlywheelViewSet
):
    permission_classes = [IsAuthenticated, AdministratorsOnly]
    queryset = WebhookEndpoint.objects.all()
    output_serializer_class = s.EndpointSerializer
    input_serializers = {
        "create": s.EndpointInputSerializer,
        "partial_update": s.EndpointInputSerializer,
    }
    filterset_class = filters.EndpointFilter

    def create(self, request):
        endpoint = services.webhook_endpoint_save(actor=request.user, **self.parse())
        return self.respond(endpoint, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        endpoint = services.webhook_endpoint_save(
            actor=request.user, endpoint=self.get_object(), **self.parse(partial=True)
        )
        return self.respond(endpoint)

    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        return self.respond(
            services.webhook_endpoint_enable(actor=request.user, endpoint=self.get_object())
        )


class WebhookDeliveryViewSet(ReadOnlyFlywheelViewSet):
    """The delivery log: status, attempts, response status and time, newest first."""

    permission_classes = [IsAuthenticated, AdministratorsOnly]
    queryset = WebhookDelivery.objects.all()
    output_serializer_class = s.DeliverySerializer
    filterset_class = filters.DeliveryFilter
