"""The dry run of a use case's stage history: the stage date columns read as moves in time
order, replayed through the lifecycle's rules, checked against a Status column and against
the transition record already in Flywheel (which the import never rewrites)."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.cells import CellError, aware, parse_choice, parse_dates, text
from inventory.plan import Plan, Row, read_cell
from inventory.plan_lessons import file_lesson
from inventory.template import BY_KEY
from portfolio.choices import RecordKind, State, Transition
from portfolio.models import UseCase
from portfolio.services.transition_import import ImportedMove, history_replay

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


def earliest() -> date:
    """The earliest plausible date of a reading or a move (settings, default 2000-01-01)."""
    return getattr(settings, "FLYWHEEL_EARLIEST_DATE", date(2000, 1, 1))


@dataclass(frozen=True)
class FileMove:
    key: str
    move: ImportedMove
    precise: bool


def file_moves(plan: Plan, row: Row) -> list[FileMove] | None:
    """The stage dates of a row as moves in time order; None when the row has an error."""
    moves, ok, zone = [], True, settings.TIME_ZONE
    reason_ok, reason = (
        read_cell(plan, row, "kill_reason", text) if row.has("kill_reason") else (True, "")
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
                _("One date only (holds and resumes may list several)."),
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
                    _("%(at)s is before %(earliest)s, the earliest plausible date.")
                    % {
                        "at": format(value, "%Y-%m-%d"),
                        "earliest": format(earliest(), "%Y-%m-%d"),
                    },
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
            _("A killed use case needs the reason it was killed."),
            code="required",
            reference=row.reference,
        )
        ok = False
    if not (ok and reason_ok and lesson_ok):
        return None
    return sorted(moves, key=lambda m: (m.move.at, _ORDER[m.key]))


def moves_replay(plan: Plan, row: Row, moves: list[FileMove], *, state, held_from="", after=None):
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


def status_check(plan: Plan, row: Row, reached: str) -> None:
    """A Status column is checked against the stage the dates lead to: a stage date the
    mapping missed shows here, with the fix, instead of as a move that cannot follow."""
    ok, status = read_cell(
        plan, row, "status", lambda v: parse_choice(v, State, extra=STATUS_WORDS)
    )
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
    if column:
        sentence = _(
            "The status is '%(status)s' but the stage dates lead to '%(reached)s': give the "
            "date in column '%(column)s'."
        )
    elif wanted:
        sentence = _(
            "The status is '%(status)s' but the stage dates lead to '%(reached)s': map the "
            "column that holds the %(stage)s date, or add one."
        )
    else:
        sentence = _(
            "The status is '%(status)s' but the stage dates lead to '%(reached)s': correct the "
            "status or the dates."
        )
    plan.error(
        row.number,
        "status",
        sentence
        % {
            "status": State(status).label,
            "reached": State(reached).label,
            "column": column,
            "stage": str(BY_KEY[wanted].header).lower() if wanted else "",
        },
        code="status_differs",
        reference=row.reference,
    )


def _same_moment(file_move: FileMove, at: datetime) -> bool:
    local = timezone.localtime(at)
    if file_move.precise:
        return local.replace(microsecond=0) == file_move.move.at.replace(microsecond=0)
    return local.date() == file_move.move.at.date()


def history_changes(plan: Plan, row: Row, use_case: UseCase, moves, records) -> list:
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
                _(
                    "The record has '%(label)s' on %(on)s; the file does not say so. The "
                    "transition record is never rewritten: the stage dates are not changed."
                )
                % {"label": label, "on": on},
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
            _(
                "%(use_case)s has moved in Flywheel since it was imported; its next "
                "moves go through gates, not the import."
            )
            % {"use_case": use_case},
            code="moves_through_gates",
            reference=row.reference,
        )
        return []
    after = records[-1].at if records else None
    replayed = moves_replay(
        plan, row, added, state=use_case.state, held_from=use_case.state_before_hold, after=after
    )
    if not replayed:
        return []
    return [m.move for m in added]
