from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from portfolio.choices import RecordKind, State, Transition


class TransitionRecord(AppendOnlyModel):
    """One lifecycle transition: from, to, when, who, why and what authorised it.

    The velocity figures are computed from these rows. They are never edited or deleted:
    the model refuses it, the admin offers neither, and on PostgreSQL a trigger refuses it.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="transitions",
    )
    transition = models.CharField(
        verbose_name=_("transition"), max_length=20, choices=Transition.choices
    )
    from_state = models.CharField(
        verbose_name=_("from state"), max_length=12, choices=State.choices
    )
    to_state = models.CharField(verbose_name=_("to state"), max_length=12, choices=State.choices)
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(verbose_name=_("reason"), blank=True)
    # The gate decision (or other record) that authorised the move, when there is one.
    authorisation_type = models.ForeignKey(
        ContentType,
        verbose_name=_("authorisation type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    authorisation_id = models.PositiveBigIntegerField(
        verbose_name=_("authorisation id"), null=True, blank=True
    )
    authorisation = GenericForeignKey("authorisation_type", "authorisation_id")
    # Imported history (portfolio.services.transition_import) says so, and names its file.
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=10,
        choices=RecordKind.choices,
        default=RecordKind.RECORDED,
    )
    source_file = models.CharField(verbose_name=_("source file"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["use_case", "at"], name="transition_use_case_time"),
            models.Index(fields=["at", "id"], name="transition_list_order"),
        ]
        constraints = [
            # Imported history is never a gate decision, and always names where it came from.
            models.CheckConstraint(
                condition=Q(kind=RecordKind.RECORDED)
                | Q(authorisation_id__isnull=True, authorisation_type__isnull=True)
                & ~Q(source_file=""),
                name="imported_transition_has_source_and_no_decision",
            ),
        ]
        verbose_name = _("transition record")
        verbose_name_plural = _("transition records")

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_state} → {self.to_state} ({self.at:%Y-%m-%d})"
