"""Permission predicates shared by services, the admin, the API and the FSM transitions."""

import rules

from core.roles import roles_of
from core.rules import is_executive, is_portfolio_admin
from portfolio.choices import State


def _department_id(obj) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "department_id", None) or getattr(obj, "pk", None)


@rules.predicate
def is_department_head(user) -> bool:
    """Head of at least one department."""
    return roles_of(user).is_department_head


@rules.predicate
def is_head_of_department(user, obj) -> bool:
    """Head of the department of ``obj`` (a use case, or a department itself)."""
    return _department_id(obj) in roles_of(user).heads


@rules.predicate
def is_member_of_department(user, obj) -> bool:
    return _department_id(obj) in roles_of(user).member_of


@rules.predicate
def is_board_member(user) -> bool:
    return roles_of(user).is_board_member


@rules.predicate
def is_published(user, use_case) -> bool:
    """Submitted or beyond: visible to every role, read-only, for reuse."""
    return use_case is not None and use_case.state != State.DRAFT


@rules.predicate
def reads_published(user) -> bool:
    return roles_of(user).reads_published


@rules.predicate
def is_editable_draft(user, use_case) -> bool:
    return use_case is not None and use_case.is_draft


can_view_use_case = (
    is_portfolio_admin | is_executive | is_member_of_department | (is_published & reads_published)
)
can_manage_use_case = is_portfolio_admin | is_head_of_department

rules.add_perm("portfolio.view_use_case", can_view_use_case)
rules.add_perm("portfolio.create_use_case_in", is_portfolio_admin | is_head_of_department)
rules.add_perm("portfolio.edit_intake", can_manage_use_case & is_editable_draft)
rules.add_perm("portfolio.manage_use_case", can_manage_use_case)
rules.add_perm("portfolio.manage_configuration", is_portfolio_admin)
