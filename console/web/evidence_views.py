"""Evidence on the department's pages: a reading is corrected, never edited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.web import forms as web_forms
from console.web.common import managed_use_case, report
from core.errors import ApplicationError
from portfolio import services
from portfolio.models import MetricReading


def correctable_readings(use_case):
    """The readings of the use case that no correction has superseded yet, latest first."""
    return (
        MetricReading.objects.current()
        .filter(metric__use_case=use_case)
        .select_related("metric")
        .order_by("-measured_at", "-id")
    )


@login_required
@require_POST
def reading_correct(request, pk):
    """Correct a reading of one of my department's use cases (portfolio.services)."""
    use_case = managed_use_case(request, pk)
    readings = list(correctable_readings(use_case))
    form = web_forms.ReadingCorrectionForm(request.POST, readings=readings)
    if not form.is_valid():
        messages.error(
            request,
            "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()),
        )
        return redirect("use-case-detail", pk=use_case.pk)
    reading = next(r for r in readings if r.pk == form.cleaned_data["reading"])
    try:
        services.reading_correct(
            actor=request.user,
            reading=reading,
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, ApplicationError) as error:
        report(request, error)
    else:
        messages.success(
            request,
            _("Reading of %(metric)s corrected; both are kept.") % {"metric": reading.metric.name},
        )
    return redirect("use-case-detail", pk=use_case.pk)
