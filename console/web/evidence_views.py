"""Evidence on the department's pages: a reading is corrected, never edited."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.web import forms as web_forms
from console.web.common import managed_use_case
from core.web.actions import page_action
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
    by_pk = {reading.pk: reading for reading in readings}

    def correct(data):
        return services.reading_correct(
            actor=request.user,
            reading=by_pk[data["reading"]],
            value=data["value"],
            reason=data["reason"],
        )

    return page_action(
        request,
        form=web_forms.ReadingCorrectionForm(request.POST, readings=readings),
        call=correct,
        done=lambda corrected: (
            _("Reading of %(name)s corrected; both are kept.") % {"name": corrected.metric.name}
        ),
        to=reverse("use-case-detail", args=[use_case.pk]),
    )
