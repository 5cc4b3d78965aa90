"""People who sign in with the provider: created just in time, roles kept in step with groups.

Which roles sign-in manages: every role that some group mapping names (a department, a
board, executive, administrator), plus any role that sign-in granted this person earlier
(so deleting a mapping takes its roles away at the next sign-in). Those follow the person's
groups at every sign-in: granted when a group maps to them, removed when none does. Every
other role (granted by hand, and named by no mapping) is never touched.
"""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.roles import ADMINISTRATORS_GROUP, EXECUTIVES_GROUP, forget_roles
from governance.models import Board, BoardMember
from governance.services import board_member_add, board_member_remove
from portfolio.choices import DepartmentRole
from portfolio.models import Department, OrganisationRole
from portfolio.services import membership_remove, membership_set
from signin.choices import MappedRole
from signin.models import GroupMapping, Identity

User = get_user_model()
ROLE_GROUPS = {"executive": EXECUTIVES_GROUP, "administrator": ADMINISTRATORS_GROUP}


@dataclass
class RoleChanges:
    """What one sign-in changed, as role keys ("department:3", "board:2", "executive")."""

    granted: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    held: set[str] = field(default_factory=set)


@dataclass
class _Wanted:
    departments: dict[int, str] = field(default_factory=dict)
    boards: set[int] = field(default_factory=set)
    organisation_roles: set[int] = field(default_factory=set)
    flags: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)


def _wanted_and_managed(groups: Iterable[str]) -> tuple[_Wanted, set[str]]:
    """What the person's groups grant, and every role key any mapping names (one query)."""
    groups = set(groups)
    wanted, managed = _Wanted(), set()
    for mapping in GroupMapping.objects.all():
        key = _key(mapping)
        managed.add(key)
        if mapping.group not in groups:
            continue
        wanted.keys.add(key)
        if mapping.department_id:
            head = mapping.role == MappedRole.DEPARTMENT_HEAD
            if head or mapping.department_id not in wanted.departments:
                wanted.departments[mapping.department_id] = (
                    DepartmentRole.HEAD if head else DepartmentRole.MEMBER
                )
        elif mapping.board_id:
            wanted.boards.add(mapping.board_id)
        elif mapping.organisation_role_id:
            wanted.organisation_roles.add(mapping.organisation_role_id)
        else:
            wanted.flags.add(mapping.role)
    return wanted, managed


def _key(mapping: GroupMapping) -> str:
    if mapping.department_id:
        return f"department:{mapping.department_id}"
    if mapping.board_id:
        return f"board:{mapping.board_id}"
    if mapping.organisation_role_id:
        return f"organisation_role:{mapping.organisation_role_id}"
    return mapping.role


def _ids(keys: set[str], kind: str) -> set[int]:
    return {int(k.split(":")[1]) for k in keys if k.startswith(kind + ":")}


@transaction.atomic
def person_roles_apply(
    *, user, groups: Iterable[str], previously_granted: Iterable[str] = ()
) -> RoleChanges:
    """Bring the roles sign-in manages in line with the person's groups (see the module)."""
    wanted, managed = _wanted_and_managed(groups)
    managed |= set(previously_granted)
    changes = RoleChanges()

    departments = _ids(managed, "department")
    memberships = {m.department_id: m for m in user.memberships.filter(department__in=departments)}
    for department_id in sorted(departments):
        key, want, have = (
            f"department:{department_id}",
            wanted.departments.get(department_id),
            memberships.get(department_id),
        )
        if want and (have is None or have.role != want):
            membership_set(user=user, department=Department(pk=department_id), role=want)
            changes.granted.append(key)
        elif want is None and have is not None:
            membership_remove(membership=have)
            changes.removed.append(key)

    boards = _ids(managed, "board")
    seats = {s.board_id: s for s in BoardMember.objects.filter(user=user, board__in=boards)}
    for board_id in sorted(boards):
        key, seat = f"board:{board_id}", seats.get(board_id)
        if board_id in wanted.boards and (seat is None or not seat.active):
            board_member_add(board=Board(pk=board_id), user=user)
            changes.granted.append(key)
        elif board_id not in wanted.boards and seat is not None and seat.active:
            board_member_remove(seat=seat)
            changes.removed.append(key)

    _organisation_roles_apply(user, wanted, managed, changes)

    held_groups = set(user.groups.values_list("name", flat=True))
    for role, group_name in ROLE_GROUPS.items():
        if role not in managed:
            continue
        if role in wanted.flags and group_name not in held_groups:
            user.groups.add(Group.objects.get_or_create(name=group_name)[0])
            held_groups.add(group_name)
            changes.granted.append(role)
        elif role not in wanted.flags and group_name in held_groups:
            user.groups.remove(Group.objects.get(name=group_name))
            held_groups.discard(group_name)
            changes.removed.append(role)
    if {"executive", "administrator"} & set(changes.granted + changes.removed):
        # The admin is where executives and administrators work; nobody else needs it.
        user.is_staff = user.is_superuser or bool(held_groups & set(ROLE_GROUPS.values()))
        user.save(update_fields=["is_staff"])

    changes.held = wanted.keys
    forget_roles(user)
    return changes


def _organisation_roles_apply(user, wanted: _Wanted, managed: set[str], changes) -> None:
    """A role of the organisation is held through its group: join or leave it (2 queries
    when any mapping names such a role, none otherwise)."""
    role_ids = _ids(managed, "organisation_role")
    if not role_ids:
        return
    held = set(user.groups.filter(organisation_role__in=role_ids).values_list("pk", flat=True))
    for role in OrganisationRole.objects.filter(pk__in=role_ids).order_by("pk"):
        key = f"organisation_role:{role.pk}"
        if role.pk in wanted.organisation_roles and role.group_id not in held:
            user.groups.add(role.group_id)
            changes.granted.append(key)
        elif role.pk not in wanted.organisation_roles and role.group_id in held:
            user.groups.remove(role.group_id)
            changes.removed.append(key)


def _username(claims: dict, issuer: str, subject: str) -> str:
    """A readable, free username: the provider's preferred name or e-mail, made unique."""
    wanted = claims.get("preferred_username") or claims.get("email") or "person"
    base = re.sub(r"[^\w.@+-]", "-", str(wanted))[:120] or "person"
    if not User.objects.filter(username=base).exists():
        return base
    return f"{base}-{hashlib.sha256(f'{issuer} {subject}'.encode()).hexdigest()[:8]}"


def _profile(claims: dict) -> dict:
    first = claims.get("given_name") or ""
    last = claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
    return {
        "email": str(claims.get("email") or "")[:254],
        "first_name": str(first)[:150],
        "last_name": str(last)[:150],
    }


def person_sign_in(
    *, issuer: str, subject: str, claims: dict, groups: Iterable[str], at=None
) -> tuple[object, RoleChanges]:
    """The person behind (issuer, subject), created on first sign-in, roles from groups.

    The e-mail address is copied for display and notifications and never used to match.
    Two first sign-ins of the same person at the same moment both find no identity; the one
    whose insert loses the race (a unique constraint) starts again and finds the winner's.
    """
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _sign_in(issuer=issuer, subject=subject, claims=claims, groups=groups, at=at)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _sign_in(*, issuer: str, subject: str, claims: dict, groups: Iterable[str], at=None):
    at = at or timezone.now()
    groups = sorted({str(g) for g in groups})
    identity = (
        Identity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    profile = _profile(claims)
    if identity is None:
        user = User(username=_username(claims, issuer, subject), **profile)
        user.set_unusable_password()
        user.save()
        identity = Identity(user=user, issuer=issuer, subject=subject)
    else:
        user = identity.user
        changed = [n for n, value in profile.items() if value and getattr(user, n) != value]
        for name in changed:
            setattr(user, name, profile[name])
        if changed:
            user.save(update_fields=changed)
    changes = person_roles_apply(user=user, groups=groups, previously_granted=identity.granted)
    identity.groups = groups
    identity.granted = sorted(changes.held)
    identity.last_sign_in_at = at
    identity.save()
    return user, changes


@transaction.atomic
def identity_link(*, user, issuer: str, subject: str) -> Identity:
    """Tie an existing (local) account to a subject at the provider, before its first
    sign-in, so that the person keeps their account instead of getting a new one."""
    identity = Identity(user=user, issuer=issuer.rstrip("/"), subject=subject)
    identity.full_clean()
    identity.save()
    return identity
