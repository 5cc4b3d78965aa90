"""The intake page: create or edit a draft with its metrics and gaps, and submit it.

The use case page and its actions are in console.web.use_case_views, the home page in
console.web.home_views, the board members' pages in console.web.board_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from console.web import forms as web_forms
from console.web import reuse
from console.web.common import headed_departments as _headed_departments
from console.web.lessons_views import similar_panel
from core.errors import ApplicationError
from portfolio import services
from portfolio.selectors import use_case_visible_to
from portfolio.selectors_custom import custom_fields
from portfolio.selectors_forecast import forecast_lines, next_forecasts_for


def _intake_context(request, use_case=None):
    visible = use_case_visible_to(user=request.user)
    if use_case is not None:
        visible = visible.exclude(pk=use_case.pk)
    return {
        "departments": _headed_departments(request.user),
        "template_choices": web_forms.template_queryset(visible=visible),
        "people": web_forms.people_queryset(),
        "sponsors": web_forms.executives_queryset(),
    }


def _metric_initial(use_case):
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "name": m.name,
            "unit": m.unit,
            "direction": m.direction,
            "baseline": m.baseline,
            "target": m.target,
            "cadence": m.cadence,
            "pairs_with": m.paired_with.name if m.paired_with_id else "",
        }
        for m in use_case.metrics.select_related("paired_with")
    ]


def _gap_initial(use_case):
    return list(
        use_case.data_gaps.values(
            "id",
            "description",
            "closing_work",
            "work_owner",
            "owner_committed",
            "blocks_production",
        )
    )


def _intake_department(request, use_case, context) -> int | None:
    """The department whose own intake fields the page asks: the use case's, the one posted,
    or the only one the person heads (None: only the fields every department asks)."""
    if use_case is not None:
        return use_case.department_id
    posted = request.POST.get("department", "")
    if posted.isdigit() and context["departments"].filter(pk=posted).exists():
        return int(posted)
    headed = list(context["departments"].values_list("pk", flat=True)[:2])
    return headed[0] if len(headed) == 1 else -1


@login_required
def use_case_form(request, pk=None):
    """The full intake: create or edit a draft, with its metrics and gaps; optionally submit.

    Everything is saved in one transaction: a refused submission saves nothing and shows
    every missing item next to its field.
    """
    use_case = None
    if pk is not None:
        use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
        if not request.user.has_perm("portfolio.edit_intake", use_case):
            raise PermissionDenied(_("Only a draft of your own department can be edited here."))
    elif not _headed_departments(request.user).exists():
        raise PermissionDenied(_("Only department heads submit use cases."))

    submitting = request.method == "POST" and "submit" in request.POST
    context = _intake_context(request, use_case)
    source = None
    if use_case is None and request.method == "GET" and request.GET.get("template"):
        source = reuse.template_source(request, context["template_choices"])
    form = web_forms.IntakeForm(
        request.POST or None,
        instance=use_case,
        submitting=submitting,
        initial=reuse.intake_initial(source) if source else None,
        custom_fields=custom_fields(department_id=_intake_department(request, use_case, context)),
        **context,
    )
    reuse.bound_template_choices(form, context["template_choices"])
    if use_case:
        metric_rows = _metric_initial(use_case)
    else:
        metric_rows = reuse.metric_initial(source) if source else None
    metrics = web_forms.MetricFormSet(request.POST or None, prefix="metrics", initial=metric_rows)
    gaps = web_forms.DataGapFormSet(
        request.POST or None,
        prefix="gaps",
        initial=_gap_initial(use_case) if use_case else None,
    )
    section_errors = []
    if request.method == "POST" and all([form.is_valid(), metrics.is_valid(), gaps.is_valid()]):
        try:
            saved = services.use_case_intake_save(
                actor=request.user,
                use_case=use_case,
                department=form.cleaned_data.get("department"),
                intake=form.intake(),
                custom=form.custom(),
                metrics=services.Rows(metrics.rows(), metrics.deleted_ids()),
                gaps=services.Rows(gaps.rows(), gaps.deleted_ids()),
                submit=submitting,
            )
        except ValidationError as error:
            web_forms.apply_errors(form, error)
            section_errors = form.non_field_errors()
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            done = _("“%(title)s” submitted.") if submitting else _("“%(title)s” saved as a draft.")
            messages.success(request, done % {"title": saved.title})
            return redirect("use-case-detail", pk=saved.pk)
    return render(
        request,
        "flywheel/use_case_form.html",
        {
            "form": form,
            "metrics": metrics,
            "gaps": gaps,
            "use_case": use_case,
            "template_source": source,
            "section_errors": section_errors,
            "intake_forecasts": _intake_forecasts(request, use_case),
            "similar": similar_panel(request, use_case=use_case),
        },
    )


def _intake_forecasts(request, use_case) -> list[dict]:
    """At intake, before submission: the forecast a submission would get now in the draft's
    department, or in each department the person heads (2 queries)."""
    if use_case is not None:
        departments = [use_case.department]
    else:
        departments = list(_headed_departments(request.user).order_by("name"))
    rows = next_forecasts_for(department_ids=[d.pk for d in departments])
    return [
        {
            "department": department,
            "lines": forecast_lines(rows[department.pk], department_name=department.name),
        }
        for department in departments
    ]
