"""The home page, the site's icon and a department head's list of use cases."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from console.dashboard.use_case import label
from console.demo.story import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_shown
from console.web.common import headed_departments
from core.roles import roles_of
from portfolio.models import UseCase
from portfolio.selectors import notification_inbox


def home(request):
    """Where to go for each role; executives go straight to their dashboard."""
    roles = roles_of(request.user)
    if roles.is_executive and not (roles.is_department_head or roles.is_board_member):
        return redirect("admin:index")
    return render(
        request,
        "flywheel/home.html",
        {
            "roles": roles,
            "demo_logins": DEMO_LOGINS if demo_logins_shown() else (),
            "demo_password": DEMO_PASSWORD if demo_logins_shown() else "",
            "notifications": (
                list(notification_inbox(user=request.user)[:8])
                if request.user.is_authenticated
                else []
            ),
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico (the admin's pages name no icon): the site's SVG."""
    return redirect(static("flywheel/favicon.svg"), permanent=True)


@login_required
def my_department(request):
    """The use cases of the departments I head, with open flags counted (fixed queries)."""
    departments = list(headed_departments(request.user))
    if not departments:
        raise PermissionDenied(_("These pages are for department heads."))
    use_cases = (
        UseCase.objects.filter(department__in=departments)
        .select_related("department", "outcome_owner")
        .annotate(open_flags=Count("flags", filter=Q(flags__cleared_at__isnull=True)))
        .order_by("department__name", "-created_at")
    )
    return render(
        request,
        "flywheel/my_department.html",
        {"departments": departments, "use_cases": [label(uc) for uc in use_cases]},
    )
