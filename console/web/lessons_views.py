"""Failure stories shared: the lessons page every department reads, and the panel of the
most similar use cases and lessons shown at intake before submission."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.roles import roles_of
from portfolio.choices import LessonCause, State
from portfolio.selectors import sees_everything
from portfolio.selectors_lessons import lessons_visible_to, similar_lessons, similar_use_cases

PAGE_SIZE = 50


@login_required
def lessons_page(request):
    """Every department's lessons, newest first, filtered by cause, 50 a page."""
    if not (sees_everything(request.user) or roles_of(request.user).reads_published):
        raise PermissionDenied(_("The lessons are for people with a role in Flywheel."))
    cause = request.GET.get("cause", "")
    lessons = lessons_visible_to(user=request.user).order_by("-recorded_at", "-id")
    if cause in LessonCause.values:
        lessons = lessons.filter(cause=cause)
    else:
        cause = ""
    page = Paginator(lessons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "flywheel/lessons.html",
        {"page": page, "causes": LessonCause.choices, "chosen": cause},
    )


def similar_panel(request, *, use_case=None) -> dict | None:
    """What the intake's "similar" panel shows (flywheel/_similar.html): the use cases and
    lessons most similar to the title and problem statement being written (the posted form,
    else the saved draft), each with a link to start from it as a template. None when there
    is nothing to compare yet."""
    source = request.POST if request.method == "POST" else None
    if source is not None:
        text = f"{source.get('title', '')} {source.get('problem_statement', '')}"
    elif use_case is not None:
        text = f"{use_case.title} {use_case.problem_statement}"
    else:
        return None
    exclude = use_case.pk if use_case is not None else None
    return {
        "use_cases": similar_use_cases(user=request.user, text=text, exclude_id=exclude),
        "lessons": similar_lessons(user=request.user, text=text, exclude_id=exclude),
        "draft": State.DRAFT,
    }
