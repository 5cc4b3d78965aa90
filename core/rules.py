"""Predicates for the organisation-wide roles, shared by every app's rules and admin."""

import rules

from core.roles import roles_of


@rules.predicate
def is_executive(user) -> bool:
    return roles_of(user).is_executive


@rules.predicate
def is_portfolio_admin(user) -> bool:
    return roles_of(user).is_admin
