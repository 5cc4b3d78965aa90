"""Departments and people's roles in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.roles import forget_roles
from portfolio.choices import DepartmentRole
from portfolio.models import Department, Membership, Profile


@transaction.atomic
def department_create(*, name: str, description: str = "", slug: str = "") -> Department:
    """Create a department; the slug is derived from the name when not given."""
    department = Department(name=name, description=description, slug=slug or slugify(name)[:60])
    department.full_clean()
    department.save()
    return department


DEPARTMENT_FIELDS = frozenset({"name", "slug", "description"})


@transaction.atomic
def department_update(*, department: Department, **changes) -> Department:
    """Rename or describe a department (its name and slug stay unique)."""
    unknown = set(changes) - DEPARTMENT_FIELDS
    if unknown:
        raise ValidationError({name: [_("Not a department field.")] for name in sorted(unknown)})
    department = Department.objects.select_for_update().get(pk=department.pk)
    for name, value in changes.items():
        setattr(department, name, value)
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def membership_set(*, user, department: Department, role: DepartmentRole) -> Membership:
    """Give a person one role in a department (replacing the role they had there)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, department=department, defaults={"role": role}
    )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Take a person's role in a department away."""
    user = membership.user
    membership.delete()
    forget_roles(user)


@transaction.atomic
def profile_language_set(*, user, language: str) -> Profile:
    """Keep the language a person chose for their pages and e-mails ("" for the browser's)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Not a language this site speaks.")]})
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    if hasattr(user, "_flywheel_language"):
        del user._flywheel_language
    return profile
