"""Pages of components and incidents: the components list and a component's page (the use
cases that use it; for a vendor, also through what it supplies; the datasets with personal
data), the use case page's components and incidents with their clocks, reporting and
correcting an incident, and a vendor's assessment."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from components import selectors, services
from components.choices import ComponentKind, OrganisationRole
from components.clocks import clocks_of
from components.models import AssessmentQuestion, Component, Incident
from core.bounds import BoundedForm
from core.errors import ApplicationError
from core.roles import roles_of
from core.web.actions import page_action, report
from portfolio.models import UseCase
from portfolio.selectors import use_case_visible_to

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"})


class IncidentForm(BoundedForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    occurred_at = forms.DateTimeField(widget=MOMENT, label=gettext_lazy("Occurred"))
    aware_at = forms.DateTimeField(
        widget=MOMENT,
        required=False,
        label=gettext_lazy("Became aware"),
        help_text=gettext_lazy("Blank: now."),
    )
    serious = forms.BooleanField(required=False, label=gettext_lazy("Serious (Art. 3(49))"))
    death = forms.BooleanField(required=False, label=gettext_lazy("A death may be involved"))
    widespread = forms.BooleanField(
        required=False,
        label=gettext_lazy("Widespread infringement or critical infrastructure disrupted"),
    )
    organisation_role = forms.ChoiceField(
        choices=OrganisationRole.choices, label=gettext_lazy("We are the")
    )


class ClockDoneForm(BoundedForm):
    """Record that a duty was done: the report sent, or the provider informed."""

    duty = forms.ChoiceField(
        choices=[
            ("authority_reported_at", "Reported to the authority"),
            ("provider_informed_at", "Provider informed"),
        ]
    )
    done_at = forms.DateTimeField(
        widget=MOMENT, required=False, help_text=gettext_lazy("Blank: now.")
    )


def use_case_components_context(user, use_case) -> dict:
    """What the use case page shows of components and incidents (3 queries)."""
    now = timezone.now()
    incidents = list(
        selectors.incidents_visible_to(user=user).filter(use_case=use_case).order_by("-aware_at")
    )
    for incident in incidents:
        incident.clocks = [(c, c.status(now)) for c in clocks_of(incident)]
    return {
        "component_links": selectors.link_visible_to(user=user)
        .filter(use_case=use_case)
        .order_by("component__kind", "component__name"),
        "incidents": incidents,
        "incident_form": IncidentForm(),
        "clock_form": ClockDoneForm(),
        "may_report_incident": user.has_perm("components.report_incident", use_case),
        "may_import_bom": user.has_perm("components.add_component")
        and user.has_perm("components.link_use_case", use_case),
    }


def _visible_use_case(request, pk) -> UseCase:
    use_case = use_case_visible_to(user=request.user).filter(pk=pk).first()
    if use_case is None:
        raise Http404(_("No such use case."))
    return use_case


@require_POST
def incident_report(request, pk):
    """Report an incident of one of my use cases; its Art. 73 clocks start from it."""
    use_case = _visible_use_case(request, pk)
    return page_action(
        request,
        form=IncidentForm(request.POST),
        call=lambda data: services.incident_report(
            actor=request.user,
            use_case=use_case,
            **{k: v for k, v in data.items() if v is not None},
        ),
        done=lambda incident: _("Incident %(number)s reported.") % {"number": incident.number},
        to=_incidents(use_case),
    )


def _incidents(use_case) -> str:
    return reverse("use-case-detail", args=[use_case.pk]) + "#incidents"


@require_POST
def incident_clock_done(request, pk, incident_pk):
    use_case = _visible_use_case(request, pk)
    incident = get_object_or_404(Incident.objects.current(), pk=incident_pk, use_case=use_case)
    """Record that one of the incident's duties (a report, a notification) was done."""
    form = ClockDoneForm(request.POST)
    labels = dict(form.fields["duty"].choices)
    return page_action(
        request,
        form=form,
        call=lambda data: services.incident_correct(
            incident=incident,
            actor=request.user,
            reason=labels[data["duty"]],
            **{data["duty"]: data["done_at"] or timezone.now()},
        ),
        done=lambda _result: (
            _("Incident %(number)s: %(duty)s.")
            % {"number": incident.number, "duty": labels[form.cleaned_data["duty"]]}
        ),
        to=_incidents(use_case),
    )


def component_list(request):
    if not roles_of(request.user).reads_published:
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    components = selectors.component_list()
    if kind in ComponentKind.values:
        components = components.filter(kind=kind)
    return render(
        request,
        "flywheel/component_list.html",
        {"components": components[:500], "kinds": ComponentKind.choices, "chosen": kind},
    )


def component_page(request, pk):
    if not roles_of(request.user).reads_published:
        raise PermissionDenied
    component = get_object_or_404(Component.objects.select_related("vendor", "owner"), pk=pk)
    personal = request.GET.get("personal_data") == "1"
    links = selectors.links_sharing(
        component=component, user=request.user, personal_data_only=personal
    )
    return render(
        request,
        "flywheel/component_detail.html",
        {
            "component": component,
            "links": links,
            "personal_only": personal,
            "use_case_count": len({link.use_case_id for link in links}),
            "mlflow": getattr(component, "mlflow_link", None),
            "assessments": component.assessments.all()[:5],
            "may_assess": component.kind == ComponentKind.VENDOR
            and request.user.has_perm("components.assess_vendor", component),
        },
    )


def vendor_assess(request, pk):
    vendor = get_object_or_404(Component, pk=pk, kind=ComponentKind.VENDOR)
    if not request.user.has_perm("components.assess_vendor", vendor):
        raise PermissionDenied
    questions = list(AssessmentQuestion.objects.filter(active=True))
    if request.method == "POST":
        answers = {str(q.pk): request.POST.get(f"q{q.pk}") == "yes" for q in questions}
        try:
            assessment = services.vendor_assessment_record(
                vendor=vendor,
                actor=request.user,
                answers=answers,
                note=request.POST.get("note", "")[:2000],
            )
            messages.success(
                request,
                (
                    _("Assessed: %(score)s%%, passed.")
                    if assessment.passed
                    else _("Assessed: %(score)s%%, failed.")
                )
                % {"score": assessment.score},
            )
            return redirect("component-detail", pk=vendor.pk)
        except (ValidationError, ApplicationError) as exc:
            report(request, exc)
    return render(
        request, "flywheel/vendor_assess.html", {"vendor": vendor, "questions": questions}
    )
