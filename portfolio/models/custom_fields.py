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
        max_length=40,
        unique=True,
        validators=[RegexValidator(KEY_PATTERN, _("Lower-case letters, digits and _."))],
        help_text=_("Stable name in the API, exports and filters (?custom.<key>=)."),
    )
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=400, blank=True)
    kind = models.CharField(max_length=8, choices=CustomFieldKind.choices)
    choices = models.JSONField(
        default=list, blank=True, help_text=_("The answers of a choice, one per line.")
    )
    required_from = models.CharField(
        max_length=12,
        choices=STAGES,
        blank=True,
        help_text=_("The stage from which an answer is required (blank: never)."),
    )
    shown_when = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shows",
        help_text=_("Asked only when this other field's answer is one of the values below."),
    )
    shown_when_values = models.JSONField(default=list, blank=True)
    departments = models.ManyToManyField(
        "portfolio.Department",
        blank=True,
        related_name="+",
        help_text=_("Asked in these departments only (none: every department)."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.key})"
