"""The lesson a kill or a retirement records (PRODUCT.md, "Failure stories shared")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.choices import LessonCause, LessonTransition


class Lesson(models.Model):
    """What was learned when a use case stopped, why it stopped, and what can be reused.

    One per use case: killing and retiring are terminal, so a use case stops once. Written in
    the same transaction as the stop (portfolio.services.lifecycle), readable by every
    department.
    """

    use_case = models.OneToOneField(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="lesson",
    )
    transition = models.CharField(
        verbose_name=_("transition"), max_length=20, choices=LessonTransition.choices
    )
    learned = models.TextField(verbose_name=_("learned"), help_text=_("What was learned."))
    cause = models.CharField(verbose_name=_("cause"), max_length=12, choices=LessonCause.choices)
    reusable = models.TextField(
        verbose_name=_("reusable"), blank=True, help_text=_("What can be reused.")
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["-recorded_at", "-id"], name="lesson_list_order"),
            models.Index(fields=["cause", "-recorded_at"], name="lesson_cause"),
        ]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return f"{self.get_cause_display()}: {self.learned[:60]}"
