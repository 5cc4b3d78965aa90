"""Department heads' pages and the home page. Each view parses, calls services, renders.

The board members' pages are in console.web.board_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance.selectors import use_case_compliance
from console.dashboard import charts
from console.dashboard.use_case import diagnostic_of, label
from console.demo.story import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_shown
from console.web import forms as web_forms
from console.web import reuse
from console.web.common import managed_use_case, render, report
from console.web.component_views import use_case_components_context
from console.web.rebaseline_views import rebaselining_context
from core.errors import ApplicationError
from core.roles import roles_of
from gates.selectors import review_open_for
from governance import services as governance_services
from portfolio import services
from portfolio.choices import MetricKind, State
from portfolio.models import Department, Metric, MetricReading, UseCase
from portfolio.selectors import (
    notification_inbox,
    transition_history,
    use_case_detail,
    use_case_visible_to,
)
from portfolio.selectors_forecast import forecast_lines, next_forecasts_for, use_case_forecasts
from portfolio.selectors_history import use_case_history
from portfolio.services.intake import sign_off_status


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


def _headed_departments(user):
    roles = roles_of(user)
    if roles.is_admin:
        return Department.objects.all()
    return Department.objects.filter(pk__in=roles.heads)


@login_required
def my_department(request):
    """The use cases of the departments I head, with open flags counted (fixed queries)."""
    departments = list(_headed_departments(request.user))
    if not departments:
        raise PermissionDenied("These pages are for department heads.")
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


def _use_case_forecast(use_case) -> list:
    """The forecast at submission with its dates; a draft shows its department's now."""
    if use_case.submitted_at is None:
        rows = next_forecasts_for(department_ids=[use_case.department_id])[use_case.department_id]
    else:
        rows = use_case_forecasts(use_case_id=use_case.pk)
    return forecast_lines(
        rows, department_name=use_case.department.name, submitted_at=use_case.submitted_at
    )


@login_required
def use_case_page(request, pk):
    """One use case as a department sees it: intake, metrics with readings, record, flags."""
    try:
        use_case = use_case_detail(user=request.user, pk=pk)
    except UseCase.DoesNotExist as exc:
        raise Http404("No such use case.") from exc
    label(use_case)
    may_manage = request.user.has_perm("portfolio.manage_use_case", use_case)
    metrics = list(
        Metric.objects.filter(use_case=use_case).prefetch_related(
            Prefetch("readings", MetricReading.objects.current(), to_attr="readings_so_far")
        )
    )
    for metric in metrics:
        metric.recent_readings = metric.readings_so_far[-5:]
    business = [m for m in metrics if m.kind == MetricKind.BUSINESS]
    may_edit = request.user.has_perm("portfolio.edit_intake", use_case)
    return render(
        request,
        "flywheel/use_case_detail.html",
        {
            "use_case": use_case,
            "metrics": metrics,
            "may_manage": may_manage,
            "may_edit": may_edit,
            "may_discard": may_edit and use_case.state == State.DRAFT,
            "may_reuse": use_case.state != State.DRAFT
            and _headed_departments(request.user).exists(),
            "reviews": reuse.reviews_readable(request.user, use_case),
            "reading_form": web_forms.ReadingForm(
                metrics=[m for m in metrics if m.retired_at is None]
            )
            if may_manage
            else None,
            "rebaselining": rebaselining_context(request.user, use_case),
            "correction_form": web_forms.ReadingCorrectionForm(
                readings=[r for m in metrics for r in reversed(m.recent_readings)]
            )
            if may_manage
            else None,
            "review_form": web_forms.ReviewRequestForm(),
            "history": transition_history(use_case_id=use_case.pk),
            "change_history": use_case_history(use_case_id=use_case.pk),
            "flags": use_case.flags.filter(cleared_at__isnull=True),
            "open_review": _open_review(use_case),
            "diagnostic": diagnostic_of(use_case, metrics),
            "forecast": _use_case_forecast(use_case),
            "compliance": use_case_compliance(use_case=use_case, today=timezone.localdate()),
            **use_case_components_context(request.user, use_case),
            "artifact_form": (
                web_forms.ArtifactForm()
                if may_manage and use_case.state in ARTIFACT_STAGES
                else None
            ),
            "sign_offs": sign_off_status(use_case=use_case),
            "sign_as": [
                party
                for party, signer, signed in (
                    ("sponsor", use_case.sponsor_id, use_case.sponsor_signed_off_at),
                    ("operator", use_case.operator_lead_id, use_case.operator_signed_off_at),
                )
                if signer == request.user.pk and signed is None
            ],
            "metric_charts": [(f"metric-{m.pk}", charts.metric_chart(m)) for m in business],
            "can_request_review": may_manage
            and use_case.state in (State.SUBMITTED, State.PILOT, State.SCALE, State.EXTEND),
        },
    )


# The scale memo and integration plan are written from pilot on (PRODUCT.md, gates).
ARTIFACT_STAGES = (State.PILOT, State.SCALE, State.EXTEND)


def _open_review(use_case):
    return review_open_for(use_case_id=use_case.pk)


@login_required
@require_POST
def reading_add(request, pk):
    """Record a metric reading for one of my department's use cases."""
    use_case = managed_use_case(request, pk)
    metrics = list(use_case.metrics.all())
    form = web_forms.ReadingForm(request.POST, metrics=metrics)
    if form.is_valid():
        metric = next(m for m in metrics if m.pk == form.cleaned_data["metric"])
        try:
            services.reading_add(
                actor=request.user,
                metric=metric,
                value=form.cleaned_data["value"],
                measured_at=form.cleaned_data["measured_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Reading recorded for %(metric)s.") % {"metric": metric.name}
            )
    else:
        messages.error(
            request,
            "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()),
        )
    return redirect("use-case-detail", pk=use_case.pk)


@login_required
@require_POST
def use_case_submit(request, pk):
    """Submit a complete draft; an incomplete one goes back to the form with every gap named."""
    use_case = managed_use_case(request, pk)
    try:
        services.use_case_submit(use_case=use_case, actor=request.user)
    except ValidationError as error:
        report(request, error)
        return redirect("use-case-edit", pk=use_case.pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Submitted."))
    return redirect("use-case-detail", pk=use_case.pk)


@login_required
@require_POST
def review_request(request, pk):
    """Ask the board for a gate review of the stage the use case is in."""
    use_case = managed_use_case(request, pk)
    form = web_forms.ReviewRequestForm(request.POST)
    form.is_valid()
    try:
        review = governance_services.review_request(
            use_case=use_case, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Review %(gate)s requested.") % {"gate": review.get_gate_display()}
        )
    return redirect("use-case-detail", pk=use_case.pk)


@login_required
@require_POST
def artifact_save(request, pk):
    """Write the scale memo or integration plan of one of my department's use cases."""
    use_case = managed_use_case(request, pk)
    form = web_forms.ArtifactForm(request.POST)
    if not form.is_valid():
        report(request, ValidationError(form.errors), form)
        return redirect("use-case-detail", pk=use_case.pk)
    try:
        artifact = services.artifact_save(
            actor=request.user, use_case=use_case, **form.cleaned_data
        )
    except (ValidationError, ApplicationError) as error:
        report(request, error)
    else:
        messages.success(request, _("%(artifact)s saved.") % {"artifact": artifact})
    return redirect("use-case-detail", pk=use_case.pk)


@login_required
@require_POST
def sign_off(request, pk):
    """The sponsor or the operator lead signs the joint definition of success, in person."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    try:
        services.use_case_sign_off(
            actor=request.user, use_case=use_case, party=request.POST.get("party", "")
        )
    except (ValidationError, ApplicationError, PermissionDenied) as error:
        report(request, error)
    else:
        messages.success(request, "Signed off: the definition of success is agreed.")
    return redirect("use-case-detail", pk=use_case.pk)
