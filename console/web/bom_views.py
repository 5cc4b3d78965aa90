"""The ML-BOM upload outside the admin: a department head uploads a CycloneDX ML-BOM for one
of their use cases (dry run or import), then follows the job on its page, which reloads
itself (no script) until the job is finished and shows the step, the validator's message and
path, the dry run with its "import now" button, or the import's report. A job is seen by the
person who uploaded it and by administrators; anyone else gets a 404."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from components import bom, bom_jobs
from components.models import BomImportJob
from core.bounds import BoundedForm
from portfolio.models import UseCase
from portfolio.selectors import use_case_visible_to

# How often the page of a job not yet finished reloads itself.
REFRESH_SECONDS = 2


class BomUploadForm(BoundedForm):
    file = forms.FileField(
        label=gettext_lazy("CycloneDX ML-BOM"),
        help_text=gettext_lazy("A CycloneDX JSON BOM, spec 1.6 or later."),
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Dry run: show what would change, write nothing"),
    )


def _use_case(request, pk) -> UseCase:
    use_case = use_case_visible_to(user=request.user).filter(pk=pk).first()
    if use_case is None:
        raise Http404(_("No such use case."))
    return use_case


def bom_upload(request, pk):
    """Upload an ML-BOM for a use case; its job runs and its page follows it."""
    use_case = _use_case(request, pk)
    bom.bom_import_allowed(request.user, use_case)
    form = BomUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = bom_jobs.bom_job_create(
            actor=request.user,
            content=upload.read(),
            filename=upload.name,
            use_case=use_case,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("bom-job", pk=job.pk)
    return render(request, "flywheel/bom_upload.html", {"use_case": use_case, "form": form})


def _visible_job(request, pk) -> BomImportJob:
    """The job, if this person uploaded it or administers; else 404 as an unknown one."""
    job = BomImportJob.objects.select_related("use_case").filter(pk=pk).first()
    if job is None or not bom_jobs.bom_job_visible(job, request.user):
        raise Http404(_("No such ML-BOM job."))
    return job


def bom_job_page(request, pk):
    job = _visible_job(request, pk)
    return render(
        request,
        "flywheel/bom_job.html",
        {
            "job": job,
            "report": job.report,
            "step_label": _(job.stage) if job.stage else "",
            "steps": len(bom_jobs.STEPS),
            "refresh": None if job.finished else REFRESH_SECONDS,
            "import_url": reverse("bom-job-import", args=[job.pk]),
        },
    )


@require_POST
def bom_job_import(request, pk):
    """Import the document a finished dry run checked: a new job, no re-upload."""
    job = _visible_job(request, pk)
    again = bom_jobs.bom_job_import_checked(job=job, actor=request.user)
    return redirect("bom-job", pk=again.pk)
