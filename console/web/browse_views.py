"""Pages across departments: every department's submitted and live use cases (read-only, to
reuse as templates), discarding a draft, and a department's velocity."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.roles import roles_of
from core.web.actions import page_action
from portfolio import services
from portfolio.choices import State
from portfolio.models import Department
from portfolio.models.velocity import FlagKind, SnapshotMeasure
from portfolio.selectors import use_case_visible_to
from portfolio.selectors_hygiene import flags_by_kind
from portfolio.selectors_velocity import department_velocity as department_velocity_of
from reports import charts

PAGE_SIZE = 50


@login_required
def use_case_browse(request):
    """Submitted and live use cases of every department, filterable, 50 a page."""
    roles = roles_of(request.user)
    if not (roles.is_department_head or roles.is_board_member or roles.is_admin):
        raise PermissionDenied(_("Browsing the departments' use cases is for their people."))
    queryset = (
        use_case_visible_to(user=request.user)
        .exclude(state=State.DRAFT)
        .select_related("department", "outcome_owner")
        .order_by("department__name", "-submitted_at", "-id")
    )
    department = request.GET.get("department", "")
    state = request.GET.get("state", "")
    if department.isdigit():
        queryset = queryset.filter(department_id=int(department))
    if state in State.values:
        queryset = queryset.filter(state=state)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "flywheel/use_case_browse.html",
        {
            "page": page,
            "departments": Department.objects.order_by("name"),
            "states": [(value, label) for value, label in State.choices if value != State.DRAFT],
            "chosen": {"department": department, "state": state},
            "may_reuse": bool(roles.heads) or roles.is_admin,
        },
    )


@login_required
@require_POST
def use_case_discard(request, pk):
    """Delete a draft of my department (anything submitted keeps its record)."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    if not request.user.has_perm("portfolio.manage_use_case", use_case):
        raise PermissionDenied(_("Only the department's head discards its drafts."))
    return page_action(
        request,
        form=None,
        call=lambda _: services.use_case_delete_draft(actor=request.user, use_case=use_case),
        done=_("Draft “%(title)s” discarded.") % {"title": use_case.title},
        to=reverse("my-department"),
        refused_to=reverse("use-case-detail", args=[use_case.pk]),
    )


@login_required
def department_velocity(request, pk):
    """My department's velocity (each initiative against the one before, the trend) and its
    flags, in a fixed number of queries."""
    department = get_object_or_404(Department, pk=pk)
    roles = roles_of(request.user)
    if not (roles.is_admin or roles.is_executive or department.pk in roles.member_of):
        raise PermissionDenied(_("Velocity pages are for the department's people."))
    velocity = department_velocity_of(department_id=department.pk)
    flags = flags_by_kind(department_id=department.pk)
    entry = {"department": department, "points": velocity["sequence"], "trend": velocity["trend"]}
    for point in entry["points"]:
        point.title = point.use_case.title
    return render(
        request,
        "flywheel/department_velocity.html",
        {
            "department": department,
            "velocity": velocity,
            "trends": [
                (SnapshotMeasure(measure).label, trend)
                for measure, trend in sorted(velocity["trends"].items())
            ],
            "flags": [(FlagKind(kind).label, rows) for kind, rows in flags.items()],
            "chart": charts.velocity_chart(
                [entry], url=lambda pk: reverse("use-case-detail", args=[pk])
            ),
        },
    )
