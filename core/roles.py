"""Who a person is in Flywheel, looked up once per request and cached on the user object.

Core knows the two organisation-wide groups (executives, portfolio administrators). The
domain apps contribute the rest through ``role_source``: portfolio the departments a person
heads or belongs to, the boards app the seats people hold. Core imports neither.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

EXECUTIVES_GROUP = "Executives"
ADMINISTRATORS_GROUP = "Portfolio administrators"

# Each source takes an authenticated user and returns the Roles fields it knows about.
RoleSource = Callable[[object], dict]
_sources: list[RoleSource] = []


@dataclass(frozen=True)
class Roles:
    is_authenticated: bool = False
    is_executive: bool = False
    is_admin: bool = False
    heads: frozenset[int] = field(default_factory=frozenset)
    member_of: frozenset[int] = field(default_factory=frozenset)
    boards: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_department_head(self) -> bool:
        return bool(self.heads)

    @property
    def is_board_member(self) -> bool:
        return bool(self.boards)

    @property
    def reads_published(self) -> bool:
        """Sees every submitted and live use case (read-only, for reuse as templates)."""
        return self.is_admin or self.is_executive or bool(self.member_of) or self.is_board_member


def role_source(source: RoleSource) -> RoleSource:
    """Register a lookup that fills some Roles fields (called from an app's ready())."""
    if source not in _sources:
        _sources.append(source)
    return source


def roles_of(user) -> Roles:
    """The person's roles, one query for the groups and one per registered source, cached on
    the user for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_flywheel_roles", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    roles = Roles(
        is_authenticated=True,
        is_executive=EXECUTIVES_GROUP in groups,
        is_admin=user.is_superuser or ADMINISTRATORS_GROUP in groups,
    )
    for source in _sources:
        roles = replace(roles, **source(user))
    user._flywheel_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles (after a role change within the same request or test)."""
    if hasattr(user, "_flywheel_roles"):
        del user._flywheel_roles
