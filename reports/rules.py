"""Who may read a review (its page and its board pack) and the monthly portfolio pack."""

from core.roles import roles_of


def may_read_review(user, review) -> bool:
    """The deciding board, the use case's department head, executives and administrators."""
    roles = roles_of(user)
    return (
        roles.is_admin
        or roles.is_executive
        or review.use_case.department_id in roles.heads
        or user.has_perm("governance.vote", review)
        or user.has_perm("governance.close_review", review)
    )


def may_read_portfolio(user) -> bool:
    """The portfolio pack carries the dashboard's figures: executives and administrators."""
    roles = roles_of(user)
    return roles.is_executive or roles.is_admin
