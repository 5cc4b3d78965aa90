"""Imported history: lifecycle moves that happened before Flywheel, put on the record as such.

The one place where a use case reaches pilot, scale or extend without a gate decision, and
only as history: every move is written with kind ``imported``, its date, the source file
and the person who imported it, and never with an authorisation (a check constraint holds
that). From the import on, forward moves go through gates as always.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.choices import ACTIVE_STATES, LIVE_STATES, RecordKind, State, Transition
from portfolio.models import Lesson, TransitionRecord, UseCase
from portfolio.services.lessons import LessonInput, lesson_check
from portfolio.services.lifecycle import prohibited_practice_check
from portfolio.tasks import department_recompute_on_commit

# Each move's legal source states and its target (None: back to the stage it was held from).
_MOVES = {
    Transition.SUBMIT: ((State.DRAFT,), State.SUBMITTED),
    Transition.ADVANCE_TO_PILOT: ((State.SUBMITTED,), State.PILOT),
    Transition.ADVANCE_TO_SCALE: ((State.PILOT,), State.SCALE),
    Transition.ADVANCE_TO_EXTEND: ((State.SCALE,), State.EXTEND),
    Transition.HOLD: (ACTIVE_STATES, State.ON_HOLD),
    Transition.RESUME: ((State.ON_HOLD,), None),
    Transition.KILL: ((*ACTIVE_STATES, State.ON_HOLD), State.KILLED),
    Transition.RETIRE: (LIVE_STATES, State.RETIRED),
}


@dataclass(frozen=True)
class ImportedMove:
    transition: str
    at: datetime
    reason: str = ""
    # A kill or a retirement records its lesson, imported or not.
    lesson: LessonInput | None = None


_STOPS = {Transition.KILL: "kill", Transition.RETIRE: "retirement"}


@dataclass
class ImportedHistory:
    """A use case (saved, or new and unsaved) and the moves to append to its record."""

    use_case: UseCase
    moves: Sequence[ImportedMove]
    records: list = field(default_factory=list)


@dataclass(frozen=True)
class Replay:
    state: str
    state_before_hold: str
    submitted_at: datetime | None
    pilot_at: datetime | None
    last_at: datetime | None
    steps: tuple[tuple[str, str, str, datetime, str], ...]


def history_replay(
    *,
    state: str,
    state_before_hold: str = "",
    moves: Sequence[ImportedMove],
    after: datetime | None = None,
    now: datetime | None = None,
) -> Replay:
    """Walk the moves from ``state``; refuse an illegal order, a date going back, the future.

    Returns the state reached and every step (transition, from, to, at, reason).
    """
    now = now or timezone.now()
    steps, held_from = [], state_before_hold
    submitted_at = pilot_at = None
    last = after
    for move in moves:
        if move.transition not in _MOVES:
            raise ValidationError(
                _("'%(transition)s' is not a lifecycle move.") % {"transition": move.transition},
                code="invalid",
            )
        sources, target = _MOVES[move.transition]
        if state not in sources:
            raise ValidationError(
                _("'%(move)s' on %(at)s cannot follow '%(state)s'.")
                % {
                    "move": Transition(move.transition).label,
                    "at": format(move.at, "%Y-%m-%d"),
                    "state": State(state).label,
                },
                code=move.transition,
            )
        if last is not None and move.at < last:
            raise ValidationError(
                _("'%(label)s' on %(at)s is dated before the move it follows (%(last)s).")
                % {
                    "label": Transition(move.transition).label,
                    "at": format(move.at, "%Y-%m-%d"),
                    "last": format(last, "%Y-%m-%d"),
                },
                code=move.transition,
            )
        if move.at > now:
            raise ValidationError(
                _("'%(label)s' on %(at)s is in the future.")
                % {"label": Transition(move.transition).label, "at": format(move.at, "%Y-%m-%d")},
                code=move.transition,
            )
        if move.transition == Transition.HOLD:
            held_from = state
        if target is None:
            target, held_from = held_from, ""
        if move.transition == Transition.SUBMIT:
            submitted_at = move.at
        if move.transition == Transition.ADVANCE_TO_PILOT:
            pilot_at = move.at
        steps.append((move.transition, state, target, move.at, move.reason))
        state, last = target, move.at
    return Replay(state, held_from, submitted_at, pilot_at, last, tuple(steps))


def _last_record_at(use_case: UseCase) -> datetime | None:
    if use_case.pk is None:
        return None
    return use_case.transitions.order_by("-at", "-id").values_list("at", flat=True).first()


@transaction.atomic
def transition_import(
    *, histories: Sequence[ImportedHistory], actor, source_file: str
) -> list[UseCase]:
    """Append imported moves to each use case's record and bring its state to where they lead.

    New use cases (unsaved) are created in the state their history reaches, in one bulk
    insert; saved ones are locked and saved one by one. Refuses (ValidationError) a move the
    lifecycle does not allow from the state before it, a date before the last recorded move
    or in the future, and a use case that has lived in Flywheel (a recorded, non-imported
    move): from then on its moves go through gates.
    """
    if not source_file.strip():
        raise ValidationError({"source_file": [_("Imported history names its source file.")]})
    actor = actor if getattr(actor, "pk", None) else None
    new, existing = [], []
    for history in histories:
        use_case = history.use_case
        if use_case.pk is not None:
            use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
            if use_case.transitions.filter(kind=RecordKind.RECORDED).exists() and history.moves:
                raise ValidationError(
                    _("'%(use_case)s' has moved in Flywheel; its next moves go through gates.")
                    % {"use_case": use_case}
                )
        prohibited_practice_check(
            prohibited=use_case.risk_prohibited_practice,
            transitions=[m.transition for m in history.moves],
        )
        for move in history.moves:
            if move.transition in _STOPS:
                lesson_check(move.lesson, stop=_STOPS[move.transition])
        replay = history_replay(
            state=use_case.state,
            state_before_hold=use_case.state_before_hold,
            moves=history.moves,
            after=_last_record_at(use_case),
        )
        if not replay.steps and use_case.pk is not None:
            continue
        use_case.record_imported_history(to_state=replay.state)
        use_case.state_before_hold = replay.state_before_hold
        use_case.state_changed_at = replay.last_at or use_case.state_changed_at
        if replay.submitted_at and use_case.submitted_at is None:
            use_case.submitted_at = replay.submitted_at
        if replay.pilot_at and use_case.metrics_locked_at is None:
            # The goalposts were locked when the use case went into pilot (G0).
            use_case.metrics_locked_at = replay.pilot_at
        history.use_case = use_case
        history.records = [
            TransitionRecord(
                transition=transition,
                from_state=from_state,
                to_state=to_state,
                at=at,
                actor=actor,
                reason=reason or f"Imported from {source_file}",
                kind=RecordKind.IMPORTED,
                source_file=source_file[:255],
            )
            for transition, from_state, to_state, at, reason in replay.steps
        ]
        (new if use_case.pk is None else existing).append(history)
    if new:
        UseCase.objects.bulk_create([h.use_case for h in new], batch_size=500)
    for history in existing:
        history.use_case.save()
    records = []
    for history in (*new, *existing):
        for record in history.records:
            record.use_case = history.use_case
            records.append(record)
    TransitionRecord.objects.bulk_create(records, batch_size=1000)
    Lesson.objects.bulk_create(
        [
            lesson_row(use_case=h.use_case, move=move, actor=actor)
            for h in (*new, *existing)
            for move in h.moves
            if move.transition in _STOPS
        ],
        batch_size=1000,
    )
    for department_id in {h.use_case.department_id for h in (*new, *existing)}:
        department_recompute_on_commit(department_id=department_id)
    return [h.use_case for h in (*new, *existing)]


def lesson_row(*, use_case: UseCase, move: ImportedMove, actor) -> Lesson:
    """The lesson of an imported kill or retirement, dated at the move."""
    return Lesson(
        use_case=use_case,
        transition=move.transition,
        learned=move.lesson.learned.strip(),
        cause=move.lesson.cause,
        reusable=(move.lesson.reusable or "").strip(),
        recorded_at=move.at,
        recorded_by=actor,
    )
