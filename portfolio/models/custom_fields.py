"""An organisation's own intake fields: defined by administrators, answered on every surface.

The answers live on the use case (``UseCase.custom``, keyed by the field's ``key``), so a
list reads them with the row (no query per field), the change history records them with
the intake, and renaming a field's label keeps them. A field is retired, never deleted:
its answers stay on the record.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolio.choices import STAGE_ORDER, CustomFieldKind

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
STAGES = [(stage.value, stage.label) for stage in STAGE_ORDER[1:]]


class CustomField(models.Model):
    """One question of the organisation's own, asked at intake."""

    key = models.CharField(
        verbose_name=_("key"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(KEY_PATTERN, _("Lower-case letters, digits and _."))],
        help_text=_("Stable name in the API, exports and filters (?custom.<key>=)."),
    )
    label = models.CharField(verbose_name=_("label"), max_length=200)
    help_text = models.CharField(verbose_name=_("help text"), max_length=400, blank=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=8, choices=CustomFieldKind.choices)
    choices = models.JSONField(
        verbose_name=_("choices"),
        default=list,
        blank=True,
        help_text=_("The answers of a choice, one per line."),
    )
    required_from = models.CharField(
        verbose_name=_("required from"),
        max_length=12,
        choices=STAGES,
        blank=True,
        help_text=_("The stage from which an answer is required (blank: never)."),
    )
    shown_when = models.ForeignKey(
        "self",
        verbose_name=_("shown when"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shows",
        help_text=_("Asked only when this other field's answer is one of the values below."),
    )
    shown_when_values = models.JSONField(
        verbose_name=_("shown when values"), default=list, blank=True
    )
    departments = models.ManyToManyField(
        "portfolio.Department",
        verbose_name=_("departments"),
        blank=True,
        related_name="+",
        help_text=_("Asked in these departments only (none: every department)."),
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    retired_at = models.DateTimeField(verbose_name=_("retired at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return f"{self.label} ({self.key})"
