"""Outbound webhooks: the endpoints administrators register and the log of every delivery."""

from django.conf import settings
from django.db import models


class EndpointKind(models.TextChoices):
    SIGNED_JSON = "json", "Signed JSON (any system)"
    SLACK = "slack", "Slack incoming webhook"
    TEAMS = "teams", "Microsoft Teams incoming webhook"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookEndpoint(models.Model):
    """Where events of some types are sent, optionally only those of a department or board."""

    name = models.CharField(max_length=120)
    url = models.URLField(max_length=500)
    kind = models.CharField(
        max_length=8, choices=EndpointKind.choices, default=EndpointKind.SIGNED_JSON
    )
    secret = models.CharField(
        max_length=200,
        help_text="Shared secret the receiver checks the HMAC-SHA256 signature with.",
    )
    event_types = models.JSONField(default=list, help_text="Event types sent here.")
    department = models.ForeignKey(
        "portfolio.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only events about this department (empty: every department).",
    )
    board = models.ForeignKey(
        "governance.Board",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only events about this board's reviews (empty: any board or none).",
    )
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=240, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def wants(self, event) -> bool:
        """Whether an event is of a type, department and board this endpoint receives."""
        return (
            event.type in self.event_types
            and (self.department_id is None or event.department_id == self.department_id)
            and (self.board_id is None or event.board_id == self.board_id)
        )


class WebhookDelivery(models.Model):
    """One event for one endpoint: the log row, written in the transaction that published it
    (so a rolled-back change sends nothing) and updated by each attempt."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=36)
    event_type = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=9, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=400, blank=True)
    # An attempt in progress holds the row until then; a worker that died lets it lapse.
    claimed_until = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="one_delivery_per_event_and_endpoint"
            ),
        ]
        indexes = [
            models.Index(fields=["endpoint", "status"], name="delivery_endpoint_status"),
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint} ({self.get_status_display()})"
