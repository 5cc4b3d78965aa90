"""The ML-BOM upload in the admin: the form keeps the document and starts its job, then the
job's page, which reloads itself (no script) until the job is finished and shows the
validator's message and path, the dry run or the import's report; a dry run's page offers
the import of the same document."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from components import bom_jobs
from components.models import BomImportJob
from core.bounds import BoundedForm
from portfolio.models import UseCase

# How often the page of a job not yet finished reloads itself.
REFRESH_SECONDS = 2


class BomUploadForm(BoundedForm):
    file = forms.FileField(help_text=gettext_lazy("A CycloneDX JSON BOM, spec 1.6 or later."))
    use_case = forms.ModelChoiceField(queryset=UseCase.objects.order_by("title"), required=False)
    dry_run = forms.BooleanField(required=False, initial=True)


def _job_page(job: BomImportJob):
    return redirect("admin:components_bom_job", job.pk)


class BomImportAdminMixin:
    """The upload form and the job's page, on the components admin."""

    def bom_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("import-bom/", wrap(self.import_bom_view), name="components_import_bom"),
            path("import-bom/<int:pk>/", wrap(self.bom_job_view), name="components_bom_job"),
            path(
                "import-bom/<int:pk>/import/",
                wrap(self.bom_job_import_view),
                name="components_bom_job_import",
            ),
        ]

    def _page(self, request, template: str, title: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **context,
        }
        return TemplateResponse(request, f"admin/components/component/{template}", context)

    def import_bom_view(self, request):
        form = BomUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = bom_jobs.bom_job_create(
                    actor=request.user,
                    content=upload.read(),
                    filename=upload.name,
                    use_case=form.cleaned_data["use_case"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return _job_page(job)
        return self._page(request, "import_bom.html", _("Import a CycloneDX ML-BOM"), form=form)

    def _visible_job(self, request, pk: int) -> BomImportJob:
        """The job, if this person uploaded it or administers; else 404 as an unknown one."""
        job = BomImportJob.objects.select_related("use_case").filter(pk=pk).first()
        if job is None or not bom_jobs.bom_job_visible(job, request.user):
            raise Http404(_("No such ML-BOM job."))
        return job

    def bom_job_view(self, request, pk: int):
        job = self._visible_job(request, pk)
        return self._page(
            request,
            "bom_job.html",
            _("ML-BOM job %(id)s: %(file)s") % {"id": job.pk, "file": job.filename},
            job=job,
            report=job.report,
            step_label=_(job.stage) if job.stage else "",
            steps=len(bom_jobs.STEPS),
            refresh=None if job.finished else REFRESH_SECONDS,
            import_url=reverse("admin:components_bom_job_import", args=[job.pk]),
        )

    def bom_job_import_view(self, request, pk: int):
        """Import the document a finished dry run checked (POST): a new job, no re-upload."""
        job = self._visible_job(request, pk)
        if request.method != "POST":
            return _job_page(job)
        return _job_page(bom_jobs.bom_job_import_checked(job=job, actor=request.user))
