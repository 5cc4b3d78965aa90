"""What a use case holds beside its own columns: its data gaps and later-stage artifacts, and
the queryset that keeps its state out of bulk writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoryQuerySet, tracked_history
from portfolio.choices import ArtifactKind, ArtifactStatus


class UseCaseQuerySet(HistoryQuerySet):
    def update(self, **kwargs):
        # The state only ever changes through a transition, never by a bulk write.
        if "state" in kwargs:
            raise AttributeError("Direct state modification is not allowed; use a transition")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "state" in fields:
            raise AttributeError("Direct state modification is not allowed; use a transition")
        return super().bulk_update(objs, fields, *args, **kwargs)


class DataGap(models.Model):
    """A gap between what the plan assumes and what exists, and the work that closes it."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="data_gaps",
    )
    description = models.CharField(verbose_name=_("description"), max_length=240)
    closing_work = models.CharField(verbose_name=_("closing work"), max_length=240, blank=True)
    work_owner = models.CharField(verbose_name=_("work owner"), max_length=120, blank=True)
    owner_committed = models.BooleanField(verbose_name=_("owner committed"), default=False)
    blocks_production = models.BooleanField(verbose_name=_("blocks production"), default=False)

    objects = HistoryQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["use_case_id", "id"]
        verbose_name = _("data gap")
        verbose_name_plural = _("data gaps")

    def __str__(self) -> str:
        return self.description


class Artifact(models.Model):
    """A later-stage document (scale memo, integration plan), draft or final."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="artifacts",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=ArtifactKind.choices)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=8,
        choices=ArtifactStatus.choices,
        default=ArtifactStatus.DRAFT,
    )
    content = models.TextField(
        verbose_name=_("content"),
        blank=True,
        help_text=_("Scale memo: what made the pilot work, what changes at scale, new investment."),
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["use_case_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "kind"], name="one_artifact_per_kind"),
        ]
        verbose_name = _("artifact")
        verbose_name_plural = _("artifacts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
