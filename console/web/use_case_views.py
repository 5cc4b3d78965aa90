"""One use case as its department sees it, and the head's actions on it: a reading, the
submission, a review request, an artifact, a sign-off. Each action validates its form,
calls one service and reports through core.web.actions.page_action."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance.selectors import use_case_compliance
from console.dashboard.use_case import diagnostic_of, label
from console.web import forms as web_forms
from console.web import reuse
from console.web.common import headed_departments, managed_use_case
from console.web.component_views import use_case_components_context
from console.web.questionnaire_views import use_case_questionnaires_context
from console.web.rebaseline_views import rebaselining_context
from console.web.sign_off_views import sign_off_context
from core.web.actions import page_action
from gates.selectors import gate_to_request, review_open_for
from governance import services as governance_services
from portfolio import services
from portfolio.choices import MetricKind
from portfolio.models import UseCase
from portfolio.selectors import (
    metrics_with_readings,
    transition_history,
    use_case_detail,
)
from portfolio.selectors_forecast import forecast_lines, next_forecasts_for, use_case_forecasts
from portfolio.selectors_history import use_case_history
from reports import charts


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
    """One use case as a department sees it: intake, metrics with readings, record, flags.

    What the person may do is read from the permissions and the use case's stage, never
    re-decided here."""
    try:
        use_case = use_case_detail(user=request.user, pk=pk)
    except UseCase.DoesNotExist as exc:
        raise Http404(_("No such use case.")) from exc
    label(use_case)
    may_manage = request.user.has_perm("portfolio.manage_use_case", use_case)
    may_edit = request.user.has_perm("portfolio.edit_intake", use_case)
    metrics = metrics_with_readings(use_case_id=use_case.pk, recent=5)
    business = [m for m in metrics if m.kind == MetricKind.BUSINESS]
    return render(
        request,
        "flywheel/use_case_detail.html",
        {
            "use_case": use_case,
            "metrics": metrics,
            "may_manage": may_manage,
            "may_edit": may_edit,
            # Editing the intake and discarding share one rule: a draft of one's department.
            "may_discard": may_edit,
            "may_reuse": not use_case.is_draft and headed_departments(request.user).exists(),
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
            "open_review": review_open_for(use_case_id=use_case.pk),
            "diagnostic": diagnostic_of(use_case, metrics),
            "forecast": _use_case_forecast(use_case),
            "compliance": use_case_compliance(use_case=use_case, today=timezone.localdate()),
            **use_case_components_context(request.user, use_case),
            "artifact_form": (
                web_forms.ArtifactForm() if may_manage and use_case.writes_artifacts else None
            ),
            **sign_off_context(request.user, use_case),
            **use_case_questionnaires_context(request.user, use_case),
            "metric_charts": [(f"metric-{m.pk}", charts.metric_chart(m)) for m in business],
            "can_request_review": may_manage and gate_to_request(use_case=use_case) is not None,
        },
    )


def _detail(use_case) -> str:
    return reverse("use-case-detail", args=[use_case.pk])


@login_required
@require_POST
def reading_add(request, pk):
    """Record a metric reading for one of my department's use cases."""
    use_case = managed_use_case(request, pk)
    metrics = {m.pk: m for m in use_case.metrics.all()}
    form = web_forms.ReadingForm(request.POST, metrics=list(metrics.values()))

    def add(data):
        metric = metrics[data["metric"]]
        return services.reading_add(
            actor=request.user,
            metric=metric,
            value=data["value"],
            measured_at=data["measured_at"],
            note=data["note"],
        )

    return page_action(
        request,
        form=form,
        call=add,
        done=lambda reading: _("Reading recorded for %(name)s.") % {"name": reading.metric.name},
        to=_detail(use_case),
    )


@login_required
@require_POST
def use_case_submit(request, pk):
    """Submit a complete draft; an incomplete one goes back to the form with every gap named."""
    use_case = managed_use_case(request, pk)
    return page_action(
        request,
        form=None,
        call=lambda _: services.use_case_submit(use_case=use_case, actor=request.user),
        done=_("Submitted."),
        to=_detail(use_case),
        refused_to=lambda error: (
            reverse("use-case-edit", args=[use_case.pk])
            if isinstance(error, ValidationError)
            else _detail(use_case)
        ),
    )


@login_required
@require_POST
def review_request(request, pk):
    """Ask the board for a gate review of the stage the use case is in."""
    use_case = managed_use_case(request, pk)
    return page_action(
        request,
        form=web_forms.ReviewRequestForm(request.POST),
        call=lambda data: governance_services.review_request(
            use_case=use_case, actor=request.user, reason=data.get("reason", "")
        ),
        done=lambda review: _("Review %(gate)s requested.") % {"gate": review.get_gate_display()},
        to=_detail(use_case),
    )


@login_required
@require_POST
def artifact_save(request, pk):
    """Write the scale memo or integration plan of one of my department's use cases."""
    use_case = managed_use_case(request, pk)
    return page_action(
        request,
        form=web_forms.ArtifactForm(request.POST),
        call=lambda data: services.artifact_save(actor=request.user, use_case=use_case, **data),
        done=lambda artifact: _("%(artifact)s saved.") % {"artifact": artifact},
        to=_detail(use_case),
    )
