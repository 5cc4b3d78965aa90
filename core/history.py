"""Change history of the records a gate relies on (django-simple-history), with the bulk
paths it cannot see closed: ``QuerySet.update``, ``bulk_update`` and ``bulk_create`` on a
tracked model record one history row per object, with the same who and when as a save would.

A model opts in with ``history = tracked_history(...)`` and a queryset derived from
``HistoryQuerySet``. Deletes already pass through the per-object signals the history
listens to (a model with history is never fast-deleted).
"""

from django.db import models, transaction
from simple_history.models import HistoricalRecords

BULK_REASON = "bulk update"


def tracked_history(*, excluded_fields: tuple[str, ...] = ()) -> HistoricalRecords:
    """The history of one model: who, when, and every tracked field's old and new value."""
    return HistoricalRecords(excluded_fields=list(excluded_fields), cascade_delete_history=False)


class HistoryQuerySet(models.QuerySet):
    """A queryset whose bulk writes leave the same history as saves would."""

    _history_note: tuple = (None, None)

    def noting(self, *, user=None, reason: str | None = None):
        """The who and why the history records for this queryset's bulk writes."""
        clone = self._chain()
        clone._history_note = (user, reason)
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._history_note = self._history_note
        return clone

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            _record(self.model, ids, *self._history_note)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            history = getattr(self.model, "history", None)
            saved = [obj for obj in created if obj.pk is not None]
            if history is not None and saved:
                user, reason = self._history_note
                history.bulk_history_create(
                    saved, default_user=user, default_change_reason=(reason or "")[:100]
                )
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        # Django's bulk_update writes each batch through this queryset's update(), which
        # records the history of the batch: recording here again would write each row twice.
        with transaction.atomic(using=self.db):
            return super().bulk_update(objs, fields, *args, **kwargs)


def _record(model, ids, user, reason: str | None) -> None:
    history = getattr(model, "history", None)
    if history is None or not ids:
        return
    objs = list(model._default_manager.filter(pk__in=ids).order_by("pk"))
    history.bulk_history_create(
        objs, update=True, default_user=user, default_change_reason=(reason or BULK_REASON)[:100]
    )
