"""Boards, their seats, and vote delegations."""

from collections.abc import Iterable
from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.roles import forget_roles, roles_of
from governance.models import (
    Board,
    BoardMember,
    Delegation,
)


def _fallback_check(board: Board) -> None:
    """The fallback is a member of this board, or an executive (PRODUCT.md)."""
    errors = {}
    if board.fallback_member_id and board.fallback_member.board_id != board.pk:
        errors["fallback_member"] = [_("The fallback member must hold a seat on this board.")]
    if board.fallback_executive_id and not roles_of(board.fallback_executive).is_executive:
        errors["fallback_executive"] = [_("The fallback must be an executive.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def board_create(
    *,
    name: str,
    departments: Iterable = (),
    covers_all: bool = False,
    quorum_minimum: int = 0,
    **objective,
) -> Board:
    """Create a board covering some departments, or the whole portfolio; ``objective``
    takes the decision target and objective fields (defaults: 48 hours, 90% over 28 days)."""
    unknown = set(objective) - OBJECTIVE_FIELDS
    if unknown:
        raise ValidationError({name: [_("Not a board field.")] for name in sorted(unknown)})
    board = Board(name=name, covers_all=covers_all, quorum_minimum=quorum_minimum, **objective)
    _fallback_check(board)
    board.full_clean()
    board.save()
    board.departments.set(departments)
    return board


OBJECTIVE_FIELDS = frozenset(
    {
        "decision_target_hours",
        "decision_objective",
        "objective_window_days",
        "fallback_member",
        "fallback_executive",
    }
)
BOARD_FIELDS = (
    frozenset({"name", "covers_all", "quorum_minimum", "active", "departments"}) | OBJECTIVE_FIELDS
)


@transaction.atomic
def board_update(*, board: Board, **changes) -> Board:
    """Change a board's name, coverage (departments, or the whole portfolio), quorum minimum
    or whether it is active; seats change through board_member_add and board_member_remove."""
    unknown = set(changes) - BOARD_FIELDS
    if unknown:
        raise ValidationError({name: [_("Not a board field.")] for name in sorted(unknown)})
    board = Board.objects.select_for_update().get(pk=board.pk)
    departments = changes.pop("departments", None)
    for name, value in changes.items():
        setattr(board, name, value)
    _fallback_check(board)
    board.full_clean()
    board.save()
    if departments is not None:
        board.departments.set(departments)
    return board


@transaction.atomic
def board_member_add(
    *, board: Board, user, is_voting: bool = True, is_chair: bool = False
) -> BoardMember:
    """Give a person a seat on a board (or reactivate and update the seat they had)."""
    seat, _created = BoardMember.objects.update_or_create(
        board=board,
        user=user,
        defaults={"active": True, "is_voting": is_voting, "is_chair": is_chair},
    )
    forget_roles(user)
    return seat


@transaction.atomic
def board_member_remove(*, seat: BoardMember) -> BoardMember:
    """Deactivate a seat; votes cast from it stay on the record."""
    seat.active = False
    seat.save(update_fields=["active"])
    forget_roles(seat.user)
    return seat


@transaction.atomic
def delegation_create(
    *,
    delegator: BoardMember,
    delegate: BoardMember,
    starts_at: datetime,
    ends_at: datetime,
    actor=None,
    reason: str = "",
) -> Delegation:
    """A member hands their vote to another voting member of the same board for a period."""
    if (
        actor is not None
        and actor.pk != delegator.user_id
        and not rules.has_perm("governance.manage_boards", actor)
    ):
        raise PermissionDenied(_("Only the member (or an administrator) delegates their vote."))
    if delegator.board_id != delegate.board_id:
        raise ValidationError({"delegate": [_("Delegate to a member of the same board.")]})
    if delegator.pk == delegate.pk:
        raise ValidationError({"delegate": [_("A member cannot delegate to themselves.")]})
    if not (delegate.active and delegate.is_voting and delegator.active and delegator.is_voting):
        raise ValidationError({"delegate": [_("Both members must hold active voting seats.")]})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The period must end after it starts.")]})
    return Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=actor,
    )


# --- reviews --------------------------------------------------------------------------------
