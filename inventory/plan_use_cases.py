"""The dry run of use case rows: intake fields, people and department; the stage history is
read in inventory.plan_moves."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.errors import ProhibitedPractice
from inventory.cells import (
    CellError,
    parse_bool,
    parse_choice,
    parse_decimal,
    text,
)
from inventory.custom_columns import CUSTOM
from inventory.extra_columns import row_values
from inventory.people import person_key
from inventory.plan import Outcome, Plan, Row
from inventory.plan_moves import (
    STAGE_KEYS,
    file_moves,
    history_changes,
    moves_replay,
    status_check,
)
from inventory.plan_templates import TemplateRef, submitted_in_file, template_value
from inventory.template import USE_CASE, normalise
from portfolio.choices import (
    TERMINAL_STATES,
    Horizon,
    Knowledge,
    Origin,
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
FIELD_KEYS = (*TEXT_KEYS, *DECIMAL_KEYS, *BOOL_KEYS, *CHOICE_KEYS, *PEOPLE_KEYS)
FK_KEYS = (*PEOPLE_KEYS, "template")


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
            _(
                "Several people in Flywheel are named '%(identifier)s': write the "
                "e-mail or user name of the one meant."
            )
            % {"identifier": identifier},
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
        _(
            "No person '%(identifier)s' in Flywheel (by e-mail, user name or full "
            "name); add them first, or import with the option to create people."
        )
        % {"identifier": identifier},
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
            _("A new use case needs its department."),
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
        _(
            "No department '%(name)s' in Flywheel; add it first, or import with "
            "the option to create departments."
        )
        % {"name": name},
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


def _current(use_case: UseCase, key: str):
    return getattr(use_case, f"{key}_id" if key in FK_KEYS else key)


def _comparable(value):
    return value.pk if hasattr(value, "pk") else value


def _plan_change(plan: Plan, row: Row, use_case: UseCase, values: dict, moves, found, outcome):
    custom = values.pop(CUSTOM, None)
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
                _("A use case does not move between departments by import; not changed."),
                code="department_fixed",
                reference=row.reference,
            )
    closed = use_case.state in TERMINAL_STATES
    editable = INTAKE_FIELDS | LIVING_FIELDS if use_case.state == State.DRAFT else LIVING_FIELDS
    for key in sorted(changes):
        if closed or key not in editable:
            refusal = (
                _("Not changed: the use case is %(state)s; nothing about it changes.")
                if closed
                else _("Not changed: only a draft's %(field)s changes (it is %(state)s).")
            )
            plan.refuse(
                row.number,
                key,
                refusal % {"state": use_case.get_state_display(), "field": key.replace("_", " ")},
                code="field_locked",
                reference=row.reference,
            )
            del changes[key]
    # The organisation's own fields change until the use case is closed (some are required
    # only from a later stage on).
    if custom is not None and custom != (use_case.custom or {}):
        if closed:
            message = _("Not changed: the use case is %(state)s.") % {"state": use_case.state}
            plan.refuse(row.number, CUSTOM, message,
                        code="field_locked", reference=row.reference)  # fmt: skip
        else:
            changes[CUSTOM] = custom
    added = []
    if moves is not None and any(row.has(key) for key in STAGE_KEYS):
        added = history_changes(plan, row, use_case, moves, found.records.get(use_case.pk, []))
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
        message = _(
            "No column is mapped to Title: a new use case needs its title; map the column "
            "that holds it."
        )
        plan.error(None, "title", message, code="missing_column")
    name = plan.options.department
    if "department" not in mapped and not name:
        plan.missing.add("department")
        message = _(
            "No column is mapped to Department: map the column that holds it, or choose one "
            "department for every row."
        )
        plan.error(None, "department", message, code="missing_column")
    elif name and normalise(name) not in found.departments and not plan.options.create_departments:
        plan.missing.add("department")
        message = _(
            "No department '%(name)s' in Flywheel; choose an existing one, or create departments."
        ) % {"name": name}
        plan.error(None, "department", message, code="unknown_department")


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
                _("Reference '%(reference)s' is already used on row %(row)s.")
                % {"reference": row.reference, "row": seen[row.reference]},
                code="duplicate_reference",
                reference=row.reference,
            )
            outcome.status = "error"
            continue
        seen[row.reference] = row.number
        values = _fields(plan, row, found)
        # Values written with the use case (the organisation's own fields, core.columns).
        values.update(row_values(plan, row, found, found.use_cases.get(row.reference)))
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
                    _("A new use case needs a title."),
                    code="required",
                    reference=row.reference,
                )
            _check_fields(plan, row, values)
            replayed = moves is not None and moves_replay(plan, row, moves, state=State.DRAFT)
            _rules(plan, row, values, moves, found)
            if replayed and row.has("status"):
                status_check(plan, row, replayed.state)
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
