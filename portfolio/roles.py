"""Who a person is in Flywheel, looked up once per request and cached on the user object."""

from dataclasses import dataclass, field

from portfolio.choices import DepartmentRole

EXECUTIVES_GROUP = "Executives"
ADMINISTRATORS_GROUP = "Portfolio administrators"


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


def roles_of(user) -> Roles:
    """The person's roles, from at most three queries, cached on the user for the request.

    Board membership is declared by the governance app (related name ``board_seats``); it is
    read through that relation so that this module needs nothing from the layer above.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_flywheel_roles", None)
    if cached is not None:
        return cached
    groups = set(user.groups.values_list("name", flat=True))
    memberships = list(user.memberships.values_list("department_id", "role"))
    seats = getattr(user, "board_seats", None)
    boards = (
        frozenset(seats.filter(active=True).values_list("board_id", flat=True)) if seats else ()
    )
    roles = Roles(
        is_authenticated=True,
        is_executive=EXECUTIVES_GROUP in groups,
        is_admin=user.is_superuser or ADMINISTRATORS_GROUP in groups,
        heads=frozenset(d for d, role in memberships if role == DepartmentRole.HEAD),
        member_of=frozenset(d for d, _ in memberships),
        boards=frozenset(boards),
    )
    user._flywheel_roles = roles
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles (after a role change within the same request or test)."""
    if hasattr(user, "_flywheel_roles"):
        del user._flywheel_roles
