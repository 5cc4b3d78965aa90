"""Departments and people's roles in them."""

from django.db import transaction
from django.utils.text import slugify

from core.roles import forget_roles
from portfolio.choices import DepartmentRole
from portfolio.models import Department, Membership


@transaction.atomic
def department_create(*, name: str, description: str = "", slug: str = "") -> Department:
    """Create a department; the slug is derived from the name when not given."""
    department = Department(name=name, description=description, slug=slug or slugify(name)[:60])
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def membership_set(*, user, department: Department, role: DepartmentRole) -> Membership:
    """Give a person one role in a department (replacing the role they had there)."""
    membership, _ = Membership.objects.update_or_create(
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
