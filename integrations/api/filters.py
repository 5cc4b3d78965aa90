"""FilterSets of the webhook API: ``<fk>_id`` filters as on every list."""

import django_filters as filters

from integrations.models import DeliveryStatus, EndpointKind, WebhookDelivery, WebhookEndpoint
from portfolio.api.filters import IdFilter


class EndpointFilter(filters.FilterSet):
    department_id = IdFilter()
    board_id = IdFilter()
    kind = filters.ChoiceFilter(choices=EndpointKind.choices)

    class Meta:
        model = WebhookEndpoint
        fields = ["active"]


class DeliveryFilter(filters.FilterSet):
    endpoint_id = IdFilter()
    status = filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event_type = filters.CharFilter(max_length=40)

    class Meta:
        model = WebhookDelivery
        fields = []
