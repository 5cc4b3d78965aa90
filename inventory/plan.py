"""The dry run's record: what a file would create, change or leave alone, and every row's
problems, with the lookups every part of the dry run shares (inventory.dry_run runs it).

``plan_build`` reads the whole file against the database in a fixed number of queries per
thousand rows and writes nothing. Two kinds of finding:

- an *error* (a cell that cannot be read, a reference used twice, an unknown department):
  the file is not applied at all until it is fixed;
- a *refusal* (a goalpost locked since G0, a recorded move the file contradicts, an intake
  field that only a draft may change): reported, that one change is left out, the rest of
  the file applies.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from inventory.cells import CellError
from inventory.people import PeopleIndex, name_candidates
from inventory.template import BY_KEY, RECORDS, WIDE, normalise
from portfolio.choices import TERMINAL_STATES
from portfolio.models import DataGap, Department, Metric, MetricReading, TransitionRecord, UseCase

# Model fields whose template column has another name (for errors found by model validation).
MODEL_FIELD_COLUMNS = {"name": "metric", "kind": "metric_kind", "description": "gap",
                       "measured_at": "measured"}  # fmt: skip
REFERENCE_MAX = 64
CHUNK = 900  # SQLite's default limit on bound parameters is 999
DETAIL_LIMIT = 2000
EXPORT_PREFIX = "FW-"


@dataclass(frozen=True)
class ImportOptions:
    """What the person chose: which sheet and header row (found when not given), the field of
    any column (by header or letter; the rest suggested), the date order of ambiguous
    columns, a department for rows without one, and whether to create people and
    departments the file names."""

    create_departments: bool = False
    create_people: bool = False
    month_first: bool = False
    sheet: str = ""
    header_row: int | None = None
    mapping: dict = field(default_factory=dict)
    date_orders: dict = field(default_factory=dict)
    department: str = ""
    mapping_name: str = ""

    @classmethod
    def from_dict(cls, data: dict | None) -> "ImportOptions":
        data = data or {}
        header_row = data.get("header_row")
        return cls(
            create_departments=bool(data.get("create_departments")),
            create_people=bool(data.get("create_people")),
            month_first=bool(data.get("month_first")),
            sheet=str(data.get("sheet") or ""),
            header_row=int(header_row) if header_row not in (None, "") else None,
            mapping=dict(data.get("mapping") or {}),
            date_orders=dict(data.get("date_orders") or {}),
            department=str(data.get("department") or ""),
            mapping_name=str(data.get("mapping_name") or ""),
        )

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Finding:
    row: int | None
    column: str
    message: str
    code: str
    reference: str = ""


@dataclass
class Outcome:
    row: int
    record: str
    reference: str
    status: str = "unchanged"
    changes: dict = field(default_factory=dict)
    label: str = ""


@dataclass
class Plan:
    """Everything the apply step needs, and the report people read."""

    source_file: str
    options: ImportOptions
    mapping: list = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    refused: list[Finding] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    new_departments: dict = field(default_factory=dict)
    new_people: dict = field(default_factory=dict)
    new_use_cases: list = field(default_factory=list)
    changed_use_cases: list = field(default_factory=list)
    new_metrics: list = field(default_factory=list)
    changed_metrics: list = field(default_factory=list)
    new_readings: list = field(default_factory=list)
    new_gaps: list = field(default_factory=list)
    changed_gaps: list = field(default_factory=list)
    file_meta: dict = field(default_factory=dict)
    found: object = None
    columns: list = field(default_factory=list)
    month_first_keys: set = field(default_factory=set)
    ignored: list = field(default_factory=list)
    missing: set = field(default_factory=set)
    extra: dict = field(default_factory=dict)  # column set name -> its plan (extra_columns)

    def month_first(self, key: str) -> bool:
        """Whether the dates of ``key``'s column are written month first."""
        return self.options.month_first or key in self.month_first_keys

    def error(self, row, column_key, message, *, code="invalid", reference="", header=None):
        self.errors.append(
            Finding(row, header or self.header(column_key), message, code, reference)
        )

    def refuse(self, row, column_key, message, *, code, reference=""):
        self.refused.append(Finding(row, self.header(column_key), message, code, reference))

    def header(self, key: str | None) -> str:
        if key is None:
            return ""
        for match in self.mapping:
            if match.key == key:
                return match.header
        key = MODEL_FIELD_COLUMNS.get(key, key)
        for match in self.mapping:
            if match.key in (key, WIDE.get(key)):
                return match.header
        key = WIDE.get(key, key) if key not in BY_KEY else key
        return BY_KEY[key].header if key in BY_KEY else key

    def counts(self) -> dict:
        counts = {record: Counter() for record in RECORDS}
        for outcome in self.outcomes:
            counts[outcome.record][outcome.status] += 1
        return {
            record: {s: c[s] for s in ("created", "changed", "unchanged", "error")}
            for record, c in counts.items()
        }

    def report(self, *, applied: bool = False, dry_run: bool = True) -> dict:
        """The dry run (or the applied import) as plain data, for pages, the API and logs."""

        sheet = self.file_meta.get("sheet", "")

        def finding(f):
            return {
                "sheet": sheet,
                "row": f.row,
                "column": f.column,
                "reference": f.reference,
                "message": f.message,
                "code": f.code,
            }

        return {
            "file": self.source_file,
            **self.file_meta,
            "dry_run": dry_run,
            "applied": applied,
            "mode": "whole file: applied only when no row has an error",
            "mapping": [c.as_dict() for c in self.columns],
            "ignored": self.ignored,
            "unmatched_people": sorted(
                getattr(self.found, "unmatched", {}).values(), key=lambda p: p["name"]
            )
            if self.found
            else [],
            "counts": self.counts(),
            "error_count": len(self.errors),
            "errors": [finding(f) for f in self.errors],
            "refused": [finding(f) for f in self.refused],
            "new_departments": sorted(self.new_departments),
            "new_people": sorted(self.new_people),
            "extra_columns": {name: p.summary for name, p in self.extra.items()},
            "rows": [
                {
                    "row": o.row,
                    "record": o.record,
                    "reference": o.reference,
                    "label": o.label,
                    "status": o.status,
                    "changes": o.changes,
                }
                for o in self.outcomes[:DETAIL_LIMIT]
            ],
            "rows_shown": min(len(self.outcomes), DETAIL_LIMIT),
            "rows_total": len(self.outcomes),
        }


class Row:
    """One data row, read through the header mapping; ``number`` is the spreadsheet's."""

    __slots__ = ("number", "record", "reference", "values")

    def __init__(self, number: int, values: dict, record: str, reference: str):
        self.number, self.values, self.record, self.reference = number, values, record, reference

    def has(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str):
        return self.values.get(key)


def read_cell(plan: Plan, row: Row, key: str, parse):
    """(ok, value) of one cell of ``row`` read by ``parse``; a bad cell is a row error."""
    if not row.has(key):
        return True, None
    try:
        return True, parse(row.get(key))
    except CellError as exc:
        plan.error(row.number, key, str(exc), reference=row.reference)
        return False, None


def is_closed(use_case) -> bool:
    """Killed or retired: nothing about it changes any more."""
    return use_case is not None and use_case.state in TERMINAL_STATES


def unknown_reference(plan: Plan, row: Row) -> None:
    """A row naming a use case that is neither in the file nor in Flywheel."""
    plan.error(
        row.number,
        "reference",
        _("No use case '%(reference)s' in the file or in Flywheel.") % {"reference": row.reference},
        code="unknown_reference",
        reference=row.reference,
    )


def chunks(items: list, size: int = CHUNK):
    """Slices of ``items`` small enough for one IN (...) on every database."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Lookups:
    """What the file refers to that already exists, fetched in bulk."""

    departments: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    use_cases: dict = field(default_factory=dict)
    records: dict = field(default_factory=lambda: defaultdict(list))
    metrics: dict = field(default_factory=dict)
    readings: dict = field(default_factory=dict)
    gaps: dict = field(default_factory=dict)
    ambiguous: set = field(default_factory=set)
    unmatched: dict = field(default_factory=dict)
    executives: set = field(default_factory=set)
    latest: dict = field(default_factory=dict)


def _people_fetch(found: Lookups, people: set[str]) -> None:
    """Match every person the file names by e-mail, user name or full name (folded)."""
    from portfolio.services.intake import executives_among

    User = get_user_model()
    index = PeopleIndex()
    fields = ("pk", "username", "email", "first_name", "last_name")
    logins = sorted({p.strip().lower() for p in people} | {
        n for p in people for n in name_candidates(p) if " " not in n
    })  # fmt: skip
    for part in chunks(logins):
        users = User.objects.annotate(u=Lower("username"), e=Lower("email")).filter(
            Q(u__in=part) | Q(e__in=part)
        )
        for user in users.only(*fields):
            index.add(user=user, username=user.username, email=user.email,
                      first_name=user.first_name, last_name=user.last_name)  # fmt: skip
    if any("@" not in p for p in people):
        # Full names: every person with a last name (an organisation's people, not its rows).
        for user in User.objects.exclude(last_name="").only(*fields).iterator(chunk_size=2000):
            index.add(user=user, username=user.username, email=user.email,
                      first_name=user.first_name, last_name=user.last_name)  # fmt: skip
    for identifier in people:
        user, how = index.match(identifier)
        if user is not None:
            found.people[identifier.strip().lower()] = user
        elif how == "ambiguous":
            found.ambiguous.add(identifier.strip().lower())
    found.executives = executives_among({u.pk for u in found.people.values()})


def lookups_fetch(*, references: set[str], people: set[str]) -> Lookups:
    """Departments, people and the use cases the references match, with their records."""
    found = Lookups()
    for department in Department.objects.all():
        found.departments[normalise(department.name)] = department
        found.departments[normalise(department.slug)] = department
    _people_fetch(found, people)
    refs = sorted(references)
    by_pk = {
        int(ref[len(EXPORT_PREFIX) :]): ref
        for ref in refs
        if ref.startswith(EXPORT_PREFIX) and ref[len(EXPORT_PREFIX) :].isdigit()
    }
    for part in chunks(refs):
        for use_case in UseCase.objects.filter(external_reference__in=part):
            found.use_cases[use_case.external_reference] = use_case
    for part in chunks(sorted(by_pk)):
        for use_case in UseCase.objects.filter(pk__in=part, external_reference__isnull=True):
            found.use_cases[by_pk[use_case.pk]] = use_case
    ids = sorted(uc.pk for uc in found.use_cases.values())
    metric_ids = []
    for part in chunks(ids):
        for record in TransitionRecord.objects.filter(use_case_id__in=part).order_by("at", "id"):
            found.records[record.use_case_id].append(record)
        for metric in Metric.objects.filter(use_case_id__in=part).select_related("paired_with"):
            found.metrics[(metric.use_case_id, metric.name.casefold())] = metric
            metric_ids.append(metric.pk)
        for gap in DataGap.objects.filter(use_case_id__in=part):
            found.gaps[(gap.use_case_id, normalise(gap.description))] = gap
    for part in chunks(metric_ids):
        # The readings that count: a file matches a correction, not what it superseded.
        for reading in MetricReading.objects.current().filter(metric_id__in=part):
            # To the second: what a spreadsheet keeps of a moment.
            found.readings[(reading.metric_id, reading.measured_at.replace(microsecond=0))] = (
                reading
            )
            latest = found.latest.get(reading.metric_id)
            if latest is None or reading.measured_at >= latest.measured_at:
                found.latest[reading.metric_id] = reading
    return found
