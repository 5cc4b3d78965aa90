"""Permission predicates of the governance app (autodiscovered by rules)."""

import rules

from governance.models import BoardMember
from governance.selectors import board_for_department
from portfolio.rules import is_head_of_department, is_portfolio_admin


def _board_id(obj) -> int | None:
    """The deciding board of a review, or of a use case (for re-baselining)."""
    use_case = getattr(obj, "use_case", obj)
    board = board_for_department(department_id=use_case.department_id)
    return board.pk if board else None


@rules.predicate
def can_vote_on(user, review) -> bool:
    """Holds an active voting seat on the board that decides the review."""
    if review is None or not getattr(user, "is_authenticated", False):
        return False
    return BoardMember.objects.filter(
        user=user, board_id=_board_id(review), active=True, is_voting=True
    ).exists()


@rules.predicate
def chairs_board_of(user, obj) -> bool:
    """Chairs the board that decides the review (or the use case's reviews)."""
    if obj is None or not getattr(user, "is_authenticated", False):
        return False
    return BoardMember.objects.filter(
        user=user, board_id=_board_id(obj), active=True, is_chair=True
    ).exists()


@rules.predicate
def can_request_review(user, use_case) -> bool:
    """The head of the use case's department (administrators too)."""
    return bool(is_head_of_department(user, use_case) or is_portfolio_admin(user))


can_close = chairs_board_of | is_portfolio_admin

rules.add_perm("governance.request_review", can_request_review)
rules.add_perm("governance.vote", can_vote_on)
rules.add_perm("governance.close_review", can_close)
rules.add_perm("governance.decide_rebaseline", can_close)
rules.add_perm("governance.resolve_condition", can_close)
rules.add_perm("governance.manage_boards", is_portfolio_admin)
