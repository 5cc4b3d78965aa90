"""Who a person is in Flywheel, looked up once per request and cached on the user object.

Core knows the two organisation-wide groups (executives, portfolio administrators). The
domain apps contribute the rest through ``role_source``: portfolio the departments a person
heads or belongs to, the boards app the seats people hold. Core imports neither.

A source given as ``RoleRows`` (a queryset of the person's rows and how to read them) is
read in the same query as the groups (a ``UNION ALL``): one round trip for every such
source. A source given as a plain function costs a query of its own, made only when a field
neither the groups nor a ``RoleRows`` source filled is first read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import F, IntegerField, QuerySet, Value

EXECUTIVES_GROUP = "Executives"
ADMINISTRATORS_GROUP = "Portfolio administrators"


@dataclass(frozen=True)
class RoleRows:
    """A role source read in the groups' query: ``rows(user)`` the person's rows (a
    queryset), ``text`` and ``number`` the two columns taken from each, ``read`` turning the
    (text, number) pairs into Roles fields."""

    rows: Callable[[object], QuerySet]
    text: str
    number: str
    read: Callable[[list[tuple[str, int]]], dict]


# A plain source takes an authenticated user and returns the Roles fields it knows about.
RoleSource = Callable[[object], dict] | RoleRows
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
    """The person's roles, cached on the user for the request: one query for the groups and
    every ``RoleRows`` source; the plain sources are asked only when a field none of those
    filled is first read (a query each)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_flywheel_roles", None)
    if cached is not None:
        return cached
    together = [source for source in _sources if isinstance(source, RoleRows)]
    parts = [_pairs(Group.objects.filter(user=user.pk), 0, "name", None)]
    parts += [
        _pairs(source.rows(user), n, source.text, source.number)
        for n, source in enumerate(together, start=1)
    ]
    found: list[list[tuple]] = [[] for _ in parts]
    for n, text, number in parts[0].union(*parts[1:], all=True) if parts[1:] else parts[0]:
        found[n].append((text, number))
    groups = {text for text, _ in found[0]}
    known = {
        "is_authenticated": True,
        "is_executive": EXECUTIVES_GROUP in groups,
        "is_admin": user.is_superuser or ADMINISTRATORS_GROUP in groups,
    }
    for n, source in enumerate(together, start=1):
        known.update(source.read(found[n]))
    plain = [source for source in _sources if not isinstance(source, RoleRows)]
    roles = _PendingRoles(**known) if plain else Roles(**known)
    if plain:
        names = set(Roles.__dataclass_fields__) - set(known)
        for key in names:
            object.__delattr__(roles, key)
        object.__setattr__(roles, "_pending", (user, plain, names))
    user._flywheel_roles = roles
    return roles


def _pairs(queryset: QuerySet, n: int, text: str | None, number: str | None) -> QuerySet:
    """The rows of one source as (source number, text, number), unordered (for the union)."""
    return queryset.order_by().values_list(
        Value(n, output_field=IntegerField()),
        F(text) if text else Value(""),
        F(number) if number else Value(None, output_field=IntegerField()),
    )


NOBODY = Roles()


class _PendingRoles(Roles):
    """Roles whose remaining fields come from plain sources, asked on first read of one."""

    def __getattr__(self, name):  # only called for the fields removed below
        pending = self.__dict__.get("_pending")
        if pending is None or name not in pending[2]:
            raise AttributeError(name)
        user, sources, names = pending
        values = {key: getattr(NOBODY, key) for key in names}
        for source in sources:
            values.update(source(user))
        for key, value in values.items():
            object.__setattr__(self, key, value)
        object.__delattr__(self, "_pending")
        return getattr(self, name)


def forget_roles(user) -> None:
    """Drop the cached roles (after a role change within the same request or test)."""
    if hasattr(user, "_flywheel_roles"):
        del user._flywheel_roles
