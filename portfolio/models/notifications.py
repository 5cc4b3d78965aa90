from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    """How a person wants one kind of notification by e-mail (in the app it is always kept)."""

    AT_ONCE = "at_once", _("At once")
    DAILY = "daily", _("Daily digest")
    OFF = "off", _("Off")


class Notification(models.Model):
    """A message kept in the app for one person; e-mailed by a job after the commit, at once
    or in the daily digest, as the person chose for its kind."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=40)
    subject = models.CharField(verbose_name=_("subject"), max_length=200)
    body = models.TextField(verbose_name=_("body"), blank=True)
    link = models.CharField(
        verbose_name=_("link"),
        max_length=200,
        blank=True,
        help_text=_("Path of the page it is about."),
    )
    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery = models.CharField(
        verbose_name=_("delivery"), max_length=8, choices=Delivery.choices, default=Delivery.AT_ONCE
    )
    created_at = models.DateTimeField(
        verbose_name=_("created at"), auto_now_add=True, db_index=True
    )
    read_at = models.DateTimeField(verbose_name=_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(verbose_name=_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
            models.Index(
                fields=["delivery", "recipient"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_mail_pending",
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class NotificationPreference(models.Model):
    """One person's choice for one kind of notification; no row means at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=40)
    delivery = models.CharField(verbose_name=_("delivery"), max_length=8, choices=Delivery.choices)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.get_delivery_display()}"
