"""Outbound webhooks: the endpoints administrators register and the log of every delivery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    name = models.CharField(verbose_name=_("name"), max_length=120)
    url = models.URLField(verbose_name=_("URL"), max_length=500)
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=8,
        choices=EndpointKind.choices,
        default=EndpointKind.SIGNED_JSON,
    )
    secret = models.CharField(
        verbose_name=_("secret"),
        max_length=200,
        help_text=_("Shared secret the receiver checks the HMAC-SHA256 signature with."),
    )
    event_types = models.JSONField(
        verbose_name=_("event types"), default=list, help_text=_("Event types sent here.")
    )
    department = models.ForeignKey(
        "portfolio.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only events about this department (empty: every department)."),
    )
    board = models.ForeignKey(
        "governance.Board",
        verbose_name=_("board"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only events about this board's reviews (empty: any board or none)."),
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        verbose_name=_("consecutive failures"), default=0
    )
    disabled_at = models.DateTimeField(verbose_name=_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(
        verbose_name=_("disabled reason"), max_length=240, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

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
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.CharField(verbose_name=_("event id"), max_length=36)
    event_type = models.CharField(verbose_name=_("event type"), max_length=40, db_index=True)
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(
        verbose_name=_("status"),
        max_length=9,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(
        verbose_name=_("response status"), null=True, blank=True
    )
    response_ms = models.PositiveIntegerField(verbose_name=_("response ms"), null=True, blank=True)
    last_error = models.CharField(verbose_name=_("last error"), max_length=400, blank=True)
    # An attempt in progress holds the row until then; a worker that died lets it lapse.
    claimed_until = models.DateTimeField(verbose_name=_("claimed until"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("created at"), auto_now_add=True, db_index=True
    )
    last_attempt_at = models.DateTimeField(verbose_name=_("last attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(verbose_name=_("delivered at"), null=True, blank=True)

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
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint} ({self.get_status_display()})"
