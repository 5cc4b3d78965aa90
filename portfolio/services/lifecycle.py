"""Lifecycle transitions: one path for all of them, with the record written in the same step."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed, has_transition_perm

from core.errors import ConcurrentChange, IllegalTransition, ProhibitedPractice, UnauthorisedStop
from core.events import actor_of, event_publish, has_subscribers
from portfolio.choices import FORWARD_TRANSITIONS, State, Transition
from portfolio.gate_contract import GateAuthorisation
from portfolio.intake import intake_problems
from portfolio.models import TransitionRecord, UseCase
from portfolio.selectors import intake_snapshot
from portfolio.services.custom_fields import custom_required_check
from portfolio.services.lessons import LessonInput, lesson_check, lesson_problems, lesson_record
from portfolio.services.sign_offs import sign_off_request
from portfolio.tasks import scopes_refresh_on_commit

FORWARD_MOVES = frozenset(FORWARD_TRANSITIONS.values())
# The moves an Art. 5 prohibited practice never makes, whoever asks and whatever authorises
# it: submission and every forward move, imported history included.
PROHIBITED_MOVES = frozenset({Transition.SUBMIT, *FORWARD_MOVES})


def prohibited_practice_check(*, prohibited: bool, transitions: Iterable[str]) -> None:
    """The hard stop of Art. 5 of the AI Act: a use case whose intake answers yes to the
    prohibited-practice question is never submitted or moved forward. Every way in checks it
    here, with the one code and message (the API, pages and admin through ``_apply``, imported
    history in ``transition_import``, the inventory import's dry run on each row)."""
    if prohibited and any(t in PROHIBITED_MOVES for t in transitions):
        raise ProhibitedPractice()


def available_transitions(*, use_case: UseCase, user) -> list[str]:
    """The transitions this person may perform now (forward moves are never listed)."""
    return sorted(t.name for t in use_case.get_available_user_state_transitions(user))


def _apply(
    *,
    use_case: UseCase,
    transition: Transition,
    actor,
    reason: str = "",
    authorisation=None,
    at: datetime | None = None,
    check_permission: bool = True,
    before=None,
) -> UseCase:
    """Run one transition under a row lock, save it and append its record.

    The row is locked (PostgreSQL) or the write lock held (SQLite, IMMEDIATE), so a second
    caller waits and then finds the state already changed: a clean 409, never a double move.
    The optimistic check of ConcurrentTransitionMixin is the backstop.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = UseCase.objects.select_for_update().get(pk=use_case.pk)
        method = getattr(locked, transition)
        if not can_proceed(method):
            raise IllegalTransition(
                transition=transition,
                state=locked.state,
                allowed=available_transitions(use_case=locked, user=actor),
            )
        if authorisation is not None:
            _check_authorisation(locked, transition, authorisation)
        elif check_permission and not has_transition_perm(method, actor):
            raise PermissionDenied(
                _("You may not %(transition)s this use case.") % {"transition": transition}
            )
        prohibited_practice_check(
            prohibited=locked.risk_prohibited_practice, transitions=[transition]
        )
        if before is not None:
            before(locked)
        from_state = locked.state
        try:
            if transition in FORWARD_MOVES:
                method(authorisation=authorisation)
            else:
                method()
        except TransitionNotAllowed as exc:
            raise IllegalTransition(
                transition=transition,
                state=from_state,
                allowed=available_transitions(use_case=locked, user=actor),
            ) from exc
        if transition in PROHIBITED_MOVES:
            custom_required_check(locked)
        if locked.state == State.SUBMITTED and locked.submitted_at is None:
            locked.submitted_at = at
        locked.state_changed_at = at
        # The intake's history names who moved it and which move (the record has the rest).
        locked._history_user = actor if getattr(actor, "pk", None) else None
        locked._change_reason = str(transition)
        try:
            locked.save()
        except ConcurrentTransition as exc:
            raise ConcurrentChange() from exc
        TransitionRecord.objects.create(
            use_case=locked,
            transition=transition,
            from_state=from_state,
            to_state=locked.state,
            at=at,
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason,
            authorisation_type=(
                ContentType.objects.get_for_model(authorisation) if authorisation else None
            ),
            authorisation_id=authorisation.pk if authorisation else None,
        )
        scopes_refresh_on_commit(department_id=locked.department_id, use_case_id=locked.pk)
        if has_subscribers():
            event_publish(
                "use_case_transitioned",
                title=f"{locked.title}: {from_state} to {locked.state}",
                summary=reason or f"{transition} by {actor or 'the system'}.",
                data={
                    "use_case_id": locked.pk,
                    "transition": transition,
                    "from_state": from_state,
                    "to_state": locked.state,
                },
                path=f"/use-cases/{locked.pk}/",
                department_id=locked.department_id,
                actor=actor_of(actor),
                occurred_at=at,
            )
    return locked


def _check_authorisation(use_case: UseCase, transition: str, authorisation) -> None:
    """An authorisation handed to a transition must be a saved record that authorises this
    very move of this use case, and must not have authorised a move already."""
    if transition in FORWARD_MOVES:
        return  # the model's transition checks it (UseCase._require_authorisation)
    check = getattr(authorisation, "authorises_stop", None)
    if getattr(authorisation, "pk", None) is None or check is None:
        raise UnauthorisedStop(
            _("A %(transition)s needs a saved decision that authorises it.")
            % {"transition": transition}
        )
    if not check(use_case=use_case, transition=transition):
        raise UnauthorisedStop(
            _("This authorisation does not authorise a %(transition)s of this use case.")
            % {"transition": transition}
        )
    used = TransitionRecord.objects.filter(
        authorisation_type=ContentType.objects.get_for_model(authorisation),
        authorisation_id=authorisation.pk,
    )
    if used.exists():
        raise UnauthorisedStop(_("This decision already authorised a move; it authorises one."))


def _check_intake(use_case: UseCase) -> None:
    fields, metrics = intake_snapshot(use_case_id=use_case.pk)
    problems = intake_problems(fields, metrics)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def use_case_submit(*, use_case: UseCase, actor, at: datetime | None = None) -> UseCase:
    """Draft to submitted, once the intake is complete; names every missing item by field.

    Submission asks the sponsor and the operator lead for their sign-off.
    """
    submitted = _apply(
        use_case=use_case,
        transition=Transition.SUBMIT,
        actor=actor,
        at=at,
        before=_check_intake,
    )
    sign_off_request(use_case=submitted, actor=actor)
    return submitted


def use_case_advance(
    *,
    use_case: UseCase,
    authorisation: GateAuthorisation,
    actor,
    reason: str = "",
    at: datetime | None = None,
) -> UseCase:
    """Move one stage forward; only a gate decision that authorises it can be handed here."""
    transition = FORWARD_TRANSITIONS.get(use_case.state)
    if transition is None:
        raise IllegalTransition(
            transition="advance",
            state=use_case.state,
            allowed=available_transitions(use_case=use_case, user=actor),
        )
    return _apply(
        use_case=use_case,
        transition=transition,
        actor=actor,
        reason=reason,
        authorisation=authorisation,
        at=at,
        check_permission=False,
    )


def use_case_hold(
    *, use_case: UseCase, actor, reason: str = "", authorisation=None, at: datetime | None = None
) -> UseCase:
    """Pause a use case; it resumes later to the stage it left."""
    return _apply(
        use_case=use_case,
        transition=Transition.HOLD,
        actor=actor,
        reason=reason,
        authorisation=authorisation,
        at=at,
    )


def use_case_resume(
    *, use_case: UseCase, actor, reason: str = "", at: datetime | None = None
) -> UseCase:
    """Back to the stage the use case was held from."""
    return _apply(
        use_case=use_case, transition=Transition.RESUME, actor=actor, reason=reason, at=at
    )


@transaction.atomic
def use_case_kill(
    *,
    use_case: UseCase,
    actor,
    reason: str,
    lesson: LessonInput | None = None,
    authorisation=None,
    at: datetime | None = None,
) -> UseCase:
    """Terminal stop. A reason and a lesson are required and stay on the record."""
    problems = lesson_problems(lesson, stop="kill")
    if not (reason or "").strip():
        problems = {"reason": [_("A reason is required to kill a use case.")], **problems}
    if problems:
        raise ValidationError(problems)
    return _stop(
        use_case=use_case,
        transition=Transition.KILL,
        actor=actor,
        reason=reason,
        lesson=lesson,
        authorisation=authorisation,
        at=at,
    )


@transaction.atomic
def use_case_retire(
    *,
    use_case: UseCase,
    actor,
    reason: str = "",
    lesson: LessonInput | None = None,
    at: datetime | None = None,
) -> UseCase:
    """Take a live use case (scale or extend) out of service; a lesson is required."""
    lesson_check(lesson, stop="retirement")
    return _stop(
        use_case=use_case,
        transition=Transition.RETIRE,
        actor=actor,
        reason=reason,
        lesson=lesson,
        at=at,
    )


def _stop(*, use_case, transition, actor, lesson: LessonInput, at=None, **kwargs) -> UseCase:
    """A kill or retirement with its lesson, in the caller's transaction."""
    at = at or timezone.now()
    stopped = _apply(use_case=use_case, transition=transition, actor=actor, at=at, **kwargs)
    lesson_record(use_case=stopped, transition=transition, lesson=lesson, actor=actor, at=at)
    return stopped
