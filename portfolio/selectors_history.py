"""The change history of one use case: its intake, metrics, data gaps and reading
corrections, as entries of who, when, what, and each field's old and new value.

A fixed number of queries (one per tracked table) whatever the length of the history; the
page, the admin and the API render the same entries.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import capfirst

from portfolio.custom_fields import answer_text
from portfolio.models import DataGap, Metric, MetricReading, UseCase
from portfolio.selectors_custom import custom_fields

KIND = {"+": "created", "~": "changed", "-": "deleted"}
# Stamped by the system, or the row's identity: never a change somebody made.
NOT_SHOWN = frozenset({"id", "created_at", "created_by", "updated_at", "use_case"})


def _shown(value):
    """A value as the page shows it: a moment (kept as ISO 8601) to the minute, in the
    site's time zone; anything else as it is."""
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return value


@dataclass(frozen=True)
class Change:
    field: str  # the field's name, as the API gives it
    old: object
    new: object
    label: str = ""  # the field's verbose name, as the pages show it

    @property
    def field_shown(self) -> str:
        return self.label or capfirst(self.field.replace("_", " "))

    @property
    def old_shown(self):
        return _shown(self.old)

    @property
    def new_shown(self):
        return _shown(self.new)


@dataclass(frozen=True)
class Entry:
    at: datetime
    by_id: int | None
    by: str
    subject: str  # use_case, metric, data_gap, reading
    subject_id: int
    label: str
    kind: str  # created, changed, deleted, corrected
    changes: tuple[Change, ...] = field(default_factory=tuple)
    reason: str = ""

    @property
    def subject_label(self) -> str:
        return self.subject.replace("_", " ")

    def as_dict(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "by": {"id": self.by_id, "username": self.by} if self.by_id else None,
            "subject": self.subject,
            "subject_id": self.subject_id,
            "label": self.label,
            "kind": self.kind,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
            "reason": self.reason,
        }


def _value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(history_model) -> list[tuple[str, str, str]]:
    return [
        (f.name, f.attname, capfirst(f.verbose_name))
        for f in history_model.tracked_fields
        if f.name not in NOT_SHOWN
    ]


def _entries(records, *, subject: str, show_created: bool) -> list[Entry]:
    """Entries from one table's historical rows (ordered by object, then time)."""
    entries, previous = [], {}
    fields = _fields(records.model) if hasattr(records, "model") else []
    labels = {name: label for name, _attname, label in fields}
    for record in records:
        before = previous.get(record.id)
        now = {name: _value(getattr(record, attname)) for name, attname, _label in fields}
        if record.history_type == "~" and before is not None:
            changes = tuple(
                Change(name, before[name], now[name], labels[name])
                for name in now
                if before[name] != now[name]
            )
        elif record.history_type == "+" and show_created:
            changes = tuple(
                Change(name, None, value, labels[name])
                for name, value in now.items()
                if value not in (None, "")
            )
        else:
            changes = ()
        previous[record.id] = now
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing tracked (a lifecycle move, a touch)
        user = record.history_user
        entries.append(
            Entry(
                at=record.history_date,
                by_id=user.pk if user else None,
                by=user.get_username() if user else "",
                subject=subject,
                subject_id=record.id,
                label=str(getattr(record, "title", "") or getattr(record, "name", "") or "")
                or str(getattr(record, "description", "")),
                kind=KIND[record.history_type],
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def _ordered(queryset):
    return queryset.select_related("history_user").order_by("id", "history_date", "history_id")


def use_case_history(*, use_case_id: int) -> list[Entry]:
    """Every recorded change of the use case and what hangs off it, newest first."""
    entries = [
        *_entries(
            _ordered(UseCase.history.filter(id=use_case_id)), subject="use_case", show_created=False
        ),
        *_entries(
            _ordered(Metric.history.filter(use_case_id=use_case_id)),
            subject="metric",
            show_created=True,
        ),
        *_entries(
            _ordered(DataGap.history.filter(use_case_id=use_case_id)),
            subject="data_gap",
            show_created=True,
        ),
    ]
    for correction in MetricReading.objects.filter(
        metric__use_case_id=use_case_id, supersedes__isnull=False
    ).select_related("metric", "supersedes", "recorded_by"):
        user = correction.recorded_by
        entries.append(
            Entry(
                at=correction.created_at,
                by_id=user.pk if user else None,
                by=user.get_username() if user else "",
                subject="reading",
                subject_id=correction.pk,
                label=correction.metric.name,
                kind="corrected",
                changes=(
                    Change("value", str(correction.supersedes.value), str(correction.value)),
                    *(
                        [
                            Change(
                                "measured_at",
                                correction.supersedes.measured_at.isoformat(),
                                correction.measured_at.isoformat(),
                            )
                        ]
                        if correction.measured_at != correction.supersedes.measured_at
                        else []
                    ),
                ),
                reason=correction.correction_reason,
            )
        )
    entries = _custom_answers_split(entries)
    return sorted(entries, key=lambda e: (e.at, e.subject, e.subject_id), reverse=True)


def _custom_answers_split(entries: list[Entry]) -> list[Entry]:
    """A change of the answers to the organisation's own fields, as one change per answer
    (``custom.<key>``, labelled with the field's label; one query when there is one)."""
    if not any(c.field == "custom" for e in entries for c in e.changes):
        return entries
    labels = {f.key: f.label for f in custom_fields(retired=True)}
    split = []
    for entry in entries:
        changes = []
        for change in entry.changes:
            if change.field != "custom":
                changes.append(change)
                continue
            old, new = change.old or {}, change.new or {}
            changes += [
                Change(
                    f"custom.{key}",
                    answer_text(old.get(key)) or None,
                    answer_text(new.get(key)) or None,
                    labels.get(key, key),
                )
                for key in sorted({*old, *new})
                if old.get(key) != new.get(key)
            ]
        split.append(replace(entry, changes=tuple(changes)))
    return split
