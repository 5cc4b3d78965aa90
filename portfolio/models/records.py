from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portfolio.choices import State, Transition


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


class TransitionRecord(AppendOnlyModel):
    """One lifecycle transition: from, to, when, who, why and what authorised it.

    The velocity figures are computed from these rows. They are never edited or deleted:
    the model refuses it, the admin offers neither, and on PostgreSQL a trigger refuses it.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.PROTECT, related_name="transitions"
    )
    transition = models.CharField(max_length=20, choices=Transition.choices)
    from_state = models.CharField(max_length=12, choices=State.choices)
    to_state = models.CharField(max_length=12, choices=State.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # The gate decision (or other record) that authorised the move, when there is one.
    authorisation_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorisation_id = models.PositiveBigIntegerField(null=True, blank=True)
    authorisation = GenericForeignKey("authorisation_type", "authorisation_id")

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["use_case", "at"], name="transition_use_case_time")]

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_state} → {self.to_state} ({self.at:%Y-%m-%d})"
