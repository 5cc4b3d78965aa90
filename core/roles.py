"""Who a person is in Flywheel, looked up once per request and cached on the user object.

Core knows the two organisation-wide groups (executives, portfolio administrators). The
domain apps contribute the rest through ``role_source``: portfolio the departments a person
heads or belongs to, the boards app the seats people hold. Core imports neither.

Each source is a ``RoleRows`` (a queryset of the person's rows and how to read them), read
in the same query as the groups (a ``UNION ALL``): one round trip whatever the sources.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F, IntegerField, QuerySet, Value

EXECUTIVES_GROUP = "Executives"
ADMINISTRATORS_GROUP = "Portfolio administrators"


@dataclass(frozen=True)
class RoleRows:
    """A role source read in the groups' query: ``rows(user)`` the person's rows (a
    queryset filtered on ``user.pk`` alone: it is compiled once, for a stand-in), ``text``
    and ``number`` the two columns taken from each, ``read`` turning the (text, number)
    pairs into Roles fields."""

    rows: Callable[[object], QuerySet]
    text: str
    number: str
    read: Callable[[list[tuple[str, int]]], dict]


_sources: list[RoleRows] = []


@dataclass(frozen=True)
class Roles:
    is_authenticated: bool = False
    is_executive: bool = False
    is_admin: bool = False
    heads: frozenset[int] = field(default_factory=frozenset)
    member_of: frozenset[int] = field(default_factory=frozenset)
    boards: frozenset[int] = field(default_factory=frozenset)
    # Roles the organisation defines (a data protection officer), by id.
    organisation_roles: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_department_head(self) -> bool:
        return bool(self.heads)

    @property
    def is_board_member(self) -> bool:
        return bool(self.boards)

    @property
    def reads_published(self) -> bool:
        """Sees every submitted and live use case (read-only, for reuse as templates)."""
        return (
            self.is_admin
            or self.is_executive
            or bool(self.member_of)
            or self.is_board_member
            or bool(self.organisation_roles)
        )


def role_source(source: RoleRows) -> RoleRows:
    """Register a lookup that fills some Roles fields (called from an app's ready())."""
    if source not in _sources:
        _sources.append(source)
    return source


def roles_of(user) -> Roles:
    """The person's roles, cached on the user for the request: one query for the groups and
    every source."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Roles()
    cached = getattr(user, "_flywheel_roles", None)
    if cached is not None:
        return cached
    sql, params = _statement()
    found: list[list[tuple]] = [[] for _ in range(len(_sources) + 1)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk if param == _SOMEONE.pk else param for param in params])
        for n, text, number in cursor.fetchall():
            found[n].append((text, number))
    groups = {text for text, _ in found[0]}
    known = {
        "is_authenticated": True,
        "is_executive": EXECUTIVES_GROUP in groups,
        "is_admin": user.is_superuser or ADMINISTRATORS_GROUP in groups,
    }
    for n, source in enumerate(_sources, start=1):
        known.update(source.read(found[n]))
    user._flywheel_roles = roles = Roles(**known)
    return roles


# The statement is the same for everyone but the person's id: compiled once per database
# vendor for a stand-in person, whose id is then replaced by the real one (the ORM's
# compilation of the union cost more than the query itself).
_SOMEONE = SimpleNamespace(pk=-918_273_645)
_compiled: dict[tuple, tuple[str, tuple]] = {}


def _statement() -> tuple[str, tuple]:
    key = (connection.vendor, tuple(map(id, _sources)))
    if key not in _compiled:
        parts = [_pairs(Group.objects.filter(user=_SOMEONE.pk), 0, "name", None)]
        parts += [
            _pairs(source.rows(_SOMEONE), n, source.text, source.number)
            for n, source in enumerate(_sources, start=1)
        ]
        union = parts[0].union(*parts[1:], all=True) if parts[1:] else parts[0]
        _compiled[key] = union.query.sql_with_params()
    return _compiled[key]


def _pairs(queryset: QuerySet, n: int, text: str | None, number: str | None) -> QuerySet:
    """The rows of one source as (source number, text, number), unordered (for the union)."""
    return queryset.order_by().values_list(
        Value(n, output_field=IntegerField()),
        F(text) if text else Value(""),
        F(number) if number else Value(None, output_field=IntegerField()),
    )


def forget_roles(user) -> None:
    """Drop the cached roles (after a role change within the same request or test)."""
    if hasattr(user, "_flywheel_roles"):
        del user._flywheel_roles
