"""The intake page: create or edit a draft with its metrics and gaps, and submit it.

The use case page and its actions are in console.web.use_case_views, the home page in
console.web.home_views, the board members' pages in console.web.board_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from console.web import forms as web_forms
from console.web import reuse
from console.web.common import headed_departments as _headed_departments
from core.errors import ApplicationError
from portfolio import services
from portfolio.choices import MetricKind
from portfolio.selectors import use_case_visible_to
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


def _save_metrics(*, actor, use_case, formset) -> None:
    existing = {m.pk: m for m in use_case.metrics.select_related("paired_with")}
    for pk in formset.deleted_ids():
        if pk in existing:
            services.metric_delete(actor=actor, metric=existing.pop(pk))
    by_name = {m.name: m for m in existing.values()}
    rows = sorted(formset.rows(), key=lambda row: row["kind"] != MetricKind.BUSINESS)
    for row in rows:
        fields = {
            "kind": row["kind"],
            "direction": row["direction"],
            "baseline": row["baseline"],
            "target": row["target"],
            "cadence": row["cadence"],
            "paired_with": by_name.get(row["pairs_with"]) if row["pairs_with"] else None,
        }
        if row.get("id") in existing:
            metric = services.metric_update(
                actor=actor,
                metric=existing[row["id"]],
                name=row["name"],
                unit=row["unit"],
                **fields,
            )
        else:
            metric = services.metric_create(
                actor=actor, use_case=use_case, name=row["name"], unit=row["unit"], **fields
            )
        by_name[metric.name] = metric


def _save_gaps(*, actor, use_case, formset) -> None:
    existing = {gap.pk: gap for gap in use_case.data_gaps.all()}
    for pk in formset.deleted_ids():
        if pk in existing:
            services.data_gap_delete(actor=actor, gap=existing.pop(pk))
    for row in formset.rows():
        fields = {k: row[k] for k in web_forms.DataGapForm.base_fields if k not in {"id"}}
        if row.get("id") in existing:
            services.data_gap_update(actor=actor, gap=existing[row["id"]], **fields)
        else:
            services.data_gap_create(actor=actor, use_case=use_case, **fields)


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
            raise PermissionDenied("Only a draft of your own department can be edited here.")
    elif not _headed_departments(request.user).exists():
        raise PermissionDenied("Only department heads submit use cases.")

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
        **context,
    )
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
        intake = form.intake()
        try:
            with transaction.atomic():
                if use_case is None:
                    saved = services.use_case_create(
                        actor=request.user,
                        department=form.cleaned_data["department"],
                        **intake,
                    )
                else:
                    saved = services.use_case_update(
                        actor=request.user, use_case=use_case, **intake
                    )
                _save_metrics(actor=request.user, use_case=saved, formset=metrics)
                _save_gaps(actor=request.user, use_case=saved, formset=gaps)
                if submitting:
                    saved = services.use_case_submit(use_case=saved, actor=request.user)
        except ValidationError as error:
            web_forms.apply_errors(form, error)
            section_errors = form.non_field_errors()
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            verb = "submitted" if submitting else "saved as a draft"
            messages.success(request, f"“{saved.title}” {verb}.")
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
