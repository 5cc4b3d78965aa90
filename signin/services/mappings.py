"""Group mappings: which provider group gives which Flywheel role."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ConflictError
from signin.models import GroupMapping


@transaction.atomic
def group_mapping_create(
    *, group: str, role: str, department=None, board=None, organisation_role=None
) -> GroupMapping:
    """Map a provider group to a role; the role is granted at each member's next sign-in.

    A department role names a department, a board seat names a board, a role of the
    organisation names that role, and executive and administrator name none (the model's
    check constraint says the same).
    """
    mapping = GroupMapping(
        group=group.strip(),
        role=role,
        department=department,
        board=board,
        organisation_role=organisation_role,
    )
    if GroupMapping.objects.filter(
        group=mapping.group,
        role=role,
        department=department,
        board=board,
        organisation_role=organisation_role,
    ).exists():
        raise ConflictError(_("This group is already mapped to this role."), code="mapping_exists")
    mapping.full_clean(validate_constraints=True)
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("This group is already mapped to this role."), code="mapping_exists"
        ) from exc
    return mapping


@transaction.atomic
def group_mapping_delete(*, mapping: GroupMapping) -> None:
    """Remove a mapping. Roles it granted go at each holder's next sign-in, unless another
    mapping still grants them; once no mapping names a role, sign-in no longer touches it."""
    mapping.delete()
