"""What the console's pages share besides core.web: the use case a head manages, the
departments a head runs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.roles import roles_of
from portfolio.models import Department
from portfolio.selectors import use_case_visible_to


def managed_use_case(request, pk):
    """A use case the person may see and manage (404 when unseen, 403 when only seen)."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    if not request.user.has_perm("portfolio.manage_use_case", use_case):
        raise PermissionDenied(_("Only the department's head manages this use case."))
    return use_case


def headed_departments(user):
    """The departments whose pages this person runs: those they head, every one for an
    administrator."""
    roles = roles_of(user)
    if roles.is_admin:
        return Department.objects.all()
    return Department.objects.filter(pk__in=roles.heads)
