"""Configuring sign-offs: the organisation's roles and who holds them, each stage's steps."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ConflictError
from portfolio.models import OrganisationRole, SignOffStep
from portfolio.models.sign_offs import Party

RESERVED_KEYS = frozenset(Party.values)


@transaction.atomic
def organisation_role_save(
    *, key: str, name: str, holders: Iterable | None = None, role: OrganisationRole | None = None
) -> OrganisationRole:
    """Define (or rename) a role of the organisation; its holders are the members of its
    group (named here, or mapped from an identity-provider group at sign-in)."""
    key = key.strip()
    if key in RESERVED_KEYS:
        raise ValidationError({"key": [_("'%(key)s' names a built-in party.") % {"key": key}]})
    role = role or OrganisationRole()
    role.key, role.name = key, name.strip()
    if role.group_id is None:
        group, _created = Group.objects.get_or_create(name=f"Role: {key}")
        role.group = group
    role.full_clean(exclude=["group"], validate_unique=True)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError as exc:
        raise ConflictError(_("A role with this key exists."), code="role_exists") from exc
    if holders is not None:
        role.group.user_set.set(list(holders))
    return role


@transaction.atomic
def sign_off_step_add(
    *, stage: str, party: str, role: OrganisationRole | None = None, position: int = 0
) -> SignOffStep:
    """Add a signature a stage needs. The first step of a stage replaces the default
    (sponsor and operator lead): name them as steps too if they should still sign."""
    step = SignOffStep(stage=stage, party=party, role=role, position=position)
    step.full_clean(validate_constraints=True)
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("The stage already needs this signature."), code="step_exists"
        ) from exc
    return step
