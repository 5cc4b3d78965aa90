"""The dry run of use case rows: intake fields, people, department and the stage history."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import ProhibitedPractice
from inventory.cells import (
    CellError,
    aware,
    parse_bool,
    parse_choice,
    parse_dates,
    parse_decimal,
    text,
)
from inventory.people import person_key
from inventory.plan import Outcome, Plan, Row
from inventory.plan_lessons import file_lesson
from inventory.plan_templates import TemplateRef, submitted_in_file, template_value
from inventory.template import BY_KEY, USE_CASE, normalise
from portfolio.choices import (
    TERMINAL_STATES,
    Horizon,
    Knowledge,
    Origin,
    RecordKind,
    ResourceControl,
    State,
    Transition,
)
from portfolio.models import UseCase
from portfolio.services.intake import (
    INTAKE_FIELDS,
    LIVING_FIELDS,
    sponsor_check,
)
from portfolio.services.lifecycle import prohibited_practice_check
from portfolio.services.transition_import import ImportedMove, history_replay

PEOPLE_KEYS = ("outcome_owner", "sponsor", "operator_lead")
TEXT_KEYS = (
    "title",
    "problem_statement",
    "owner_dependencies",
    "data_assumed",
    "data_existing",
    "operator_team",
    "success_definition",
    "scenarios",
    "warning_signs",
    "human_oversight",
)
DECIMAL_KEYS = (
    "build_cost",
    "run_cost_yearly",
    "expected_benefit_yearly",
    "realised_benefit_yearly",
    "autonomy_share",
    "execution_budget_share",
)
BOOL_KEYS = (
    "risk_prohibited_practice",
    "risk_annex_iii_area",
    "risk_safety_component",
    "risk_transparency_duty",
)
CHOICE_KEYS = {
    "origin": (Origin, {"bottom": Origin.BOTTOM_UP, "top": Origin.TOP_DOWN}),
    "owner_controls_resources": (ResourceControl, {"partially": ResourceControl.PARTLY}),
    "horizon": (Horizon, {"short term": Horizon.SHORT, "long term": Horizon.LONG}),
    "knowledge": (Knowledge, {"fact": Knowledge.FACTS, "hypothesis": Knowledge.HYPOTHESES}),
}
# The stage columns, in the order moves on the same day happen.
STAGE_KEYS = {
    "submitted": Transition.SUBMIT,
    "pilot": Transition.ADVANCE_TO_PILOT,
    "scale": Transition.ADVANCE_TO_SCALE,
    "extend": Transition.ADVANCE_TO_EXTEND,
    "held": Transition.HOLD,
    "resumed": Transition.RESUME,
    "killed": Transition.KILL,
    "retired": Transition.RETIRE,
}
STAGE_OF = {transition: key for key, transition in STAGE_KEYS.items()}
_ORDER = {key: index for index, key in enumerate(STAGE_KEYS)}
FIELD_KEYS = (*TEXT_KEYS, *DECIMAL_KEYS, *BOOL_KEYS, *CHOICE_KEYS, *PEOPLE_KEYS)
FK_KEYS = (*PEOPLE_KEYS, "template")


def earliest() -> date:
    """The earliest plausible date of a reading or a move (settings, default 2000-01-01)."""
    return getattr(settings, "FLYWHEEL_EARLIEST_DATE", date(2000, 1, 1))


@dataclass(frozen=True)
class NewPerson:
    """Someone the file names who does not exist yet (created only with the option)."""

    identifier: str
    pk = None  # not saved: no role, so no executive


@dataclass(frozen=True)
class NewDepartment:
    name: str


@dataclass
class NewUseCase:
    row: int
    reference: str
    department: object
    fields: dict
    moves: list


@dataclass
class ChangedUseCase:
    row: int
    use_case: UseCase
    changes: dict
    moves: list = field(default_factory=list)


@dataclass(frozen=True)
class FileMove:
    key: str
    move: ImportedMove
    precise: bool


def _cell(plan: Plan, row: Row, key: str, parse):
    try:
        return True, parse(row.get(key))
    except CellError as exc:
        plan.error(row.number, key, str(exc), reference=row.reference)
        return False, None


def _person(plan: Plan, row: Row, key: str, found):
    ok, identifier = _cell(plan, row, key, text)
    if not ok or not identifier:
        return ok, None
    user = found.people.get(identifier.lower())
    if user is not None:
        return True, user
    if identifier.lower() in found.ambiguous:
        plan.error(
            row.number,
            key,
            f"Several people in Flywheel are named '{identifier}': write the e-mail or user "
            "name of the one meant.",
            code="ambiguous_person",
            reference=row.reference,
        )
        return False, None
    person = person_key(identifier)
    if plan.options.create_people:
        plan.new_people.setdefault(person, identifier)
        return True, NewPerson(person)
    entry = found.unmatched.setdefault(person, {"name": identifier, "rows": [], "columns": []})
    entry["rows"].append(row.number)
    if plan.header(key) not in entry["columns"]:
        entry["columns"].append(plan.header(key))
    plan.error(
        row.number,
        key,
        f"No person '{identifier}' in Flywheel (by e-mail, user name or full name); "
        "add them first, or import with the option to create people.",
        code="unknown_person",
        reference=row.reference,
    )
    return False, None


def _rules(plan: Plan, row: Row, values: dict, moves, found, use_case=None) -> None:
    """The rules every way in applies, through the functions the API's services call: the
    sponsor is an executive; a prohibited practice is never submitted."""
    sponsor = values.get("sponsor")
    if sponsor is not None and (use_case is None or sponsor.pk != use_case.sponsor_id):
        try:
            sponsor_check(sponsor=sponsor, executive_ids=found.executives)
        except ValidationError as exc:
            plan.error(row.number, "sponsor", exc.message_dict["sponsor"][0],
                       reference=row.reference)  # fmt: skip
    prohibited = values.get("risk_prohibited_practice")
    if prohibited is None and use_case is not None:
        prohibited = use_case.risk_prohibited_practice
    try:
        prohibited_practice_check(
            prohibited=bool(prohibited), transitions=[m.move.transition for m in moves or ()]
        )
    except ProhibitedPractice as exc:
        plan.error(row.number, "risk_prohibited_practice", exc.message, code=exc.code,
                   reference=row.reference)  # fmt: skip


def _department(plan: Plan, row: Row, found):
    if "department" in plan.missing:
        return None
    ok, name = _cell(plan, row, "department", text)
    if not ok:
        return None
    name = name or plan.options.department
    if not name:
        plan.error(
            row.number,
            "department",
            "A new use case needs its department.",
            code="required",
            reference=row.reference,
        )
        return None
    department = found.departments.get(normalise(name))
    if department is not None:
        return department
    if plan.options.create_departments and len(name) <= 120:
        plan.new_departments.setdefault(normalise(name), name)
        return NewDepartment(normalise(name))
    plan.error(
        row.number,
        "department",
        f"No department '{name}' in Flywheel; add it first, or "
        "import with the option to create departments.",
        code="unknown_department",
        reference=row.reference,
    )
    return None


def _fields(plan: Plan, row: Row, found) -> dict:
    """The intake values of the columns the file has (a blank cell is an empty value)."""
    values = {}
    for key in FIELD_KEYS:
        if not row.has(key):
            continue
        if key in PEOPLE_KEYS:
            ok, value = _person(plan, row, key, found)
        elif key in DECIMAL_KEYS:
            ok, value = _cell(plan, row, key, parse_decimal)
        elif key in BOOL_KEYS:
            ok, value = _cell(plan, row, key, parse_bool)
        elif key in CHOICE_KEYS:
            choices, extra = CHOICE_KEYS[key]
            ok, value = _cell(
                plan, row, key, lambda v, c=choices, e=extra: parse_choice(v, c, extra=e)
            )
        else:
            ok, value = _cell(plan, row, key, text)
        if ok:
            values[key] = value
    return values


def _check_fields(plan: Plan, row: Row, values: dict) -> None:
    plain = {k: v for k, v in values.items() if k not in FK_KEYS}
    try:
        UseCase(**plain).clean_fields(
            exclude=[f.name for f in UseCase._meta.fields if f.name not in plain]
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            plan.error(row.number, name, " ".join(messages), reference=row.reference)


def file_moves(plan: Plan, row: Row) -> list[FileMove] | None:
    """The stage dates of a row as moves in time order; None when the row has an error."""
    moves, ok, zone = [], True, settings.TIME_ZONE
    reason_ok, reason = (
        _cell(plan, row, "kill_reason", text) if row.has("kill_reason") else (True, "")
    )
    for key in STAGE_KEYS:
        if not row.has(key):
            continue
        try:
            values = parse_dates(row.get(key), month_first=plan.month_first(key))
        except CellError as exc:
            plan.error(row.number, key, str(exc), reference=row.reference)
            ok = False
            continue
        if len(values) > 1 and key not in ("held", "resumed"):
            plan.error(
                row.number,
                key,
                "One date only (holds and resumes may list several).",
                reference=row.reference,
            )
            ok = False
            continue
        for value in values:
            day = value.date() if isinstance(value, datetime) else value
            if day < earliest():
                plan.error(
                    row.number,
                    key,
                    f"{value:%Y-%m-%d} is before {earliest():%Y-%m-%d}, "
                    "the earliest plausible date.",
                    code="implausible_date",
                    reference=row.reference,
                )
                ok = False
                continue
            move = ImportedMove(
                transition=STAGE_KEYS[key],
                at=aware(value, zone),
                reason=reason if key == "killed" else "",
            )
            moves.append(FileMove(key, move, isinstance(value, datetime)))
    lesson_ok, lesson = file_lesson(plan, row, {m.key for m in moves})
    moves = [FileMove(m.key, replace(m.move, lesson=lesson), m.precise) for m in moves]
    if any(m.key == "killed" for m in moves) and reason_ok and not reason:
        plan.error(
            row.number,
            "kill_reason",
            "A killed use case needs the reason it was killed.",
            code="required",
            reference=row.reference,
        )
        ok = False
    if not (ok and reason_ok and lesson_ok):
        return None
    return sorted(moves, key=lambda m: (m.move.at, _ORDER[m.key]))


def _replay(plan: Plan, row: Row, moves: list[FileMove], *, state, held_from="", after=None):
    """The replay of the moves (the state they lead to), or None with a row error."""
    try:
        return history_replay(
            state=state,
            state_before_hold=held_from,
            moves=[m.move for m in moves],
            after=after,
            now=timezone.now(),
        )
    except ValidationError as exc:
        key = STAGE_OF.get(exc.code, "submitted")
        plan.error(
            row.number, key, exc.messages[0], code="illegal_history", reference=row.reference
        )
        return None


# How registers name the stage a use case is in, beyond the states' own names.
STATUS_WORDS = {
    "idea": State.DRAFT, "new": State.DRAFT, "intake": State.SUBMITTED,
    "backlog": State.SUBMITTED, "proposed": State.SUBMITTED, "poc": State.PILOT,
    "proof of concept": State.PILOT, "piloting": State.PILOT, "in pilot": State.PILOT,
    "live": State.SCALE, "production": State.SCALE, "in production": State.SCALE,
    "scaling": State.SCALE, "scaled": State.SCALE, "deployed": State.SCALE,
    "extended": State.EXTEND, "paused": State.ON_HOLD, "on hold": State.ON_HOLD,
    "stopped": State.KILLED, "cancelled": State.KILLED, "canceled": State.KILLED,
    "decommissioned": State.RETIRED,
}  # fmt: skip


def _check_status(plan: Plan, row: Row, reached: str) -> None:
    """A Status column is checked against the stage the dates lead to: a stage date the
    mapping missed shows here, with the fix, instead of as a move that cannot follow."""
    ok, status = _cell(plan, row, "status", lambda v: parse_choice(v, State, extra=STATUS_WORDS))
    if not ok or not status or status == reached:
        return
    wanted = STAGE_OF.get(
        {State.SUBMITTED: Transition.SUBMIT, State.PILOT: Transition.ADVANCE_TO_PILOT,
         State.SCALE: Transition.ADVANCE_TO_SCALE, State.EXTEND: Transition.ADVANCE_TO_EXTEND,
         State.ON_HOLD: Transition.HOLD, State.KILLED: Transition.KILL,
         State.RETIRED: Transition.RETIRE}.get(status, ""),
        "",
    )  # fmt: skip
    column = plan.header(wanted) if wanted and row.has(wanted) else ""
    fix = (
        f"give the date in column '{column}'"
        if column
        else f"map the column that holds the {BY_KEY[wanted].header.lower()} date, or add one"
        if wanted
        else "correct the status or the dates"
    )
    plan.error(
        row.number,
        "status",
        f"The status is '{State(status).label}' but the stage dates lead to "
        f"'{State(reached).label}': {fix}.",
        code="status_differs",
        reference=row.reference,
    )


def _same_moment(file_move: FileMove, at: datetime) -> bool:
    local = timezone.localtime(at)
    if file_move.precise:
        return local.replace(microsecond=0) == file_move.move.at.replace(microsecond=0)
    return local.date() == file_move.move.at.date()


def _history_changes(plan: Plan, row: Row, use_case: UseCase, moves, records) -> list:
    """The moves the file adds after the recorded ones; a contradiction is refused."""
    present = {key for key in STAGE_KEYS if row.has(key)}
    recorded = [r for r in records if STAGE_OF.get(r.transition) in present]
    for index, record in enumerate(recorded):
        label = Transition(record.transition).label
        on = f"{timezone.localtime(record.at):%Y-%m-%d}"
        if (
            index >= len(moves)
            or moves[index].move.transition != record.transition
            or not (_same_moment(moves[index], record.at))
        ):
            plan.refuse(
                row.number,
                STAGE_OF[record.transition],
                f"The record has '{label}' on "
                f"{on}; the file does not say so. The transition record is never "
                "rewritten: the stage dates are not changed.",
                code="history_differs",
                reference=row.reference,
            )
            return []
    added = moves[len(recorded) :]
    if not added:
        return []
    if any(r.kind == RecordKind.RECORDED for r in records):
        plan.refuse(
            row.number,
            added[0].key,
            f"{use_case} has moved in Flywheel since it was "
            "imported; its next moves go through gates, not the import.",
            code="moves_through_gates",
            reference=row.reference,
        )
        return []
    after = records[-1].at if records else None
    if not _replay(plan, row, added, state=use_case.state, held_from=use_case.state_before_hold,
                   after=after):  # fmt: skip
        return []
    return [m.move for m in added]


def _current(use_case: UseCase, key: str):
    return getattr(use_case, f"{key}_id" if key in FK_KEYS else key)


def _comparable(value):
    return value.pk if hasattr(value, "pk") else value


def _plan_change(plan: Plan, row: Row, use_case: UseCase, values: dict, moves, found, outcome):
    changes = {}
    for key, value in values.items():
        if key in FK_KEYS:
            current = getattr(use_case, f"{key}_id")
            if isinstance(value, NewPerson | TemplateRef) or _comparable(value) != current:
                changes[key] = value
            continue
        current = getattr(use_case, key)
        if (current if current is not None else "") != (value if value is not None else ""):
            changes[key] = value
    if row.has("department"):
        name = text(row.get("department"))
        department = found.departments.get(normalise(name))
        if department is None or department.pk != use_case.department_id:
            plan.refuse(
                row.number,
                "department",
                "A use case does not move between departments by import; not changed.",
                code="department_fixed",
                reference=row.reference,
            )
    closed = use_case.state in TERMINAL_STATES
    editable = INTAKE_FIELDS | LIVING_FIELDS if use_case.state == State.DRAFT else LIVING_FIELDS
    for key in sorted(changes):
        if closed or key not in editable:
            why = (
                f"the use case is {use_case.get_state_display().lower()}; nothing about it changes"
                if closed
                else f"only a draft's {key.replace('_', ' ')} changes (it is "
                f"{use_case.get_state_display().lower()})"
            )
            plan.refuse(
                row.number,
                key,
                f"Not changed: {why}.",
                code="field_locked",
                reference=row.reference,
            )
            del changes[key]
    added = []
    if moves is not None and any(row.has(key) for key in STAGE_KEYS):
        added = _history_changes(plan, row, use_case, moves, found.records.get(use_case.pk, []))
    if changes or added:
        outcome.status = "changed"
        outcome.changes = {
            k: [str(_current(use_case, k) or ""), str(_comparable(v) or "")]
            for k, v in changes.items()
        }
        if added:
            outcome.changes["history"] = [
                f"{Transition(m.transition).label} {m.at:%Y-%m-%d}" for m in added
            ]
        plan.changed_use_cases.append(ChangedUseCase(row.number, use_case, changes, added))


def _missing_columns(plan: Plan, rows: list[Row], found) -> None:
    """A column every new use case needs, missing from the mapping: one error, not one a row."""
    if not any(found.use_cases.get(row.reference) is None for row in rows):
        return
    mapped = {m.key for m in plan.mapping if m.key}
    if "title" not in mapped:
        plan.missing.add("title")
        plan.error(None, "title", "No column is mapped to Title: a new use case needs its "
                   "title; map the column that holds it.", code="missing_column")  # fmt: skip
    name = plan.options.department
    if "department" not in mapped and not name:
        plan.missing.add("department")
        plan.error(None, "department", "No column is mapped to Department: map the column "
                   "that holds it, or choose one department for every row.",
                   code="missing_column")  # fmt: skip
    elif name and normalise(name) not in found.departments and not plan.options.create_departments:
        plan.missing.add("department")
        plan.error(None, "department", f"No department '{name}' in Flywheel; choose an "
                   "existing one, or create departments.", code="unknown_department")  # fmt: skip


def plan_use_cases(plan: Plan, rows: list[Row], found, *, progress=None) -> set[str]:
    """Plan every use case row; returns the references known after the import."""
    seen: dict[str, int] = {}
    use_case_rows = [row for row in rows if row.record == USE_CASE]
    in_file = submitted_in_file(rows)
    _missing_columns(plan, use_case_rows, found)
    for index, row in enumerate(use_case_rows):
        if progress and index % 1000 == 0:
            progress("checking use cases", index, len(use_case_rows))
        before = len(plan.errors)
        outcome = Outcome(row.number, USE_CASE, row.reference, label=str(row.get("title") or ""))
        plan.outcomes.append(outcome)
        if row.reference in seen:
            plan.error(
                row.number,
                "reference",
                f"Reference '{row.reference}' is already used on row {seen[row.reference]}.",
                code="duplicate_reference",
                reference=row.reference,
            )
            outcome.status = "error"
            continue
        seen[row.reference] = row.number
        values = _fields(plan, row, found)
        if row.has("template"):
            ok, template = template_value(plan, row, found, in_file)
            if ok:
                values["template"] = template
        moves = file_moves(plan, row)
        existing = found.use_cases.get(row.reference)
        if existing is None:
            department = _department(plan, row, found)
            if "title" in plan.missing:
                pass
            elif values.get("title", "") == "" and not (row.has("title") and "title" not in values):
                plan.error(
                    row.number,
                    "title",
                    "A new use case needs a title.",
                    code="required",
                    reference=row.reference,
                )
            _check_fields(plan, row, values)
            replayed = moves is not None and _replay(plan, row, moves, state=State.DRAFT)
            _rules(plan, row, values, moves, found)
            if replayed and row.has("status"):
                _check_status(plan, row, replayed.state)
            if plan.missing & {"title", "department"}:
                outcome.status = "error"
                continue
            if replayed and len(plan.errors) == before:
                outcome.status = "created"
                plan.new_use_cases.append(
                    NewUseCase(
                        row.number, row.reference, department, values, [m.move for m in moves]
                    )
                )
        else:
            _check_fields(plan, row, values)
            _rules(plan, row, values, moves if existing.state == State.DRAFT else None, found,
                   existing)  # fmt: skip
            if len(plan.errors) == before:
                _plan_change(plan, row, existing, values, moves, found, outcome)
        if len(plan.errors) > before:
            outcome.status = "error"
    return set(seen) | set(found.use_cases)
