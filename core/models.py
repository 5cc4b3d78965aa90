"""What every app's audit records share: rows written once, never edited or deleted.

The model refuses save-of-existing and delete, the queryset refuses update, delete and
bulk_update, and on PostgreSQL the trigger of core.append_only refuses the rest.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to edit or delete a record that must stay as written."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving an existing row or deleting one raises."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only")


class PendingJob(models.Model):
    """Work a web request could not enqueue because the broker was down; replayed later
    (core.jobs). Keyed by task and arguments, so the same pending work is recorded once."""

    task = models.CharField(verbose_name=_("task"), max_length=120)
    kwargs_key = models.CharField(verbose_name=_("kwargs key"), max_length=400)
    kwargs = models.JSONField(verbose_name=_("kwargs"), default=dict)
    first_failed_at = models.DateTimeField(verbose_name=_("first failed at"), default=timezone.now)
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=1)
    last_error = models.CharField(verbose_name=_("last error"), max_length=400, blank=True)

    class Meta:
        ordering = ["first_failed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kwargs_key"], name="pending_job_key"),
        ]
        verbose_name = _("pending job")
        verbose_name_plural = _("pending jobs")

    def __str__(self) -> str:
        return f"{self.task}({self.kwargs_key})"
