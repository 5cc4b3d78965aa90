"""The admin for administrators: upload a file, read its dry run, confirm the import.

A large file is checked and imported by a Celery job; its page shows the progress and
refreshes itself until the job is done. The template and the export download from here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.bounds import BoundedForm, BoundedModelForm
from core.errors import ApplicationError
from core.roles import roles_of
from inventory.api.views import download, download_stream
from inventory.exporting import inventory_export_stream, template_file
from inventory.models import ImportJob, ImportStatus
from inventory.services import import_job_create, import_job_start
from inventory.template import COLUMNS

FORMATS = ("xlsx", "csv")
RUNNING = (ImportStatus.CHECKING, ImportStatus.APPLYING)


class UploadForm(BoundedForm):
    file = forms.FileField(help_text="CSV or Excel (.xlsx) in the inventory template.")
    create_departments = forms.BooleanField(
        required=False, help_text="Create the departments the file names that do not exist."
    )
    create_people = forms.BooleanField(
        required=False, help_text="Create the people the file names that do not exist."
    )
    month_first = forms.BooleanField(
        required=False, help_text="Dates are written month first (03/31/2024)."
    )


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    form = BoundedModelForm
    list_display = ["filename", "status", "created_by", "created_at", "applied_at"]
    list_filter = ["status"]
    change_list_template = "admin/inventory/importjob/change_list.html"

    def _is_admin(self, request) -> bool:
        return request.user.is_active and roles_of(request.user).is_admin

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "template/<str:file_format>/", wrap(self.template_view), name="inventory_template"
            ),
            path("export/<str:file_format>/", wrap(self.export_view), name="inventory_export"),
            path("<int:pk>/apply/", wrap(require_POST(self.apply_view)), name="inventory_apply"),
            path("<int:pk>/progress/", wrap(self.progress_view), name="inventory_progress"),
            *super().get_urls(),
        ]

    def _require(self, request) -> None:
        if not self._is_admin(request):
            raise PermissionDenied

    def template_view(self, request, file_format: str):
        self._require(request)
        file_format = file_format if file_format in FORMATS else "xlsx"
        return download(
            template_file(file_format=file_format), f"inventory-template.{file_format}", file_format
        )

    def export_view(self, request, file_format: str):
        self._require(request)
        file_format = file_format if file_format in FORMATS else "xlsx"
        return download_stream(
            inventory_export_stream(file_format=file_format),
            f"inventory.{file_format}",
            file_format,
        )

    def add_view(self, request, form_url="", extra_context=None):
        """Upload: the file is kept and its dry run starts at once."""
        self._require(request)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            options = {
                k: form.cleaned_data[k]
                for k in ("create_departments", "create_people", "month_first")
            }
            job = import_job_create(
                actor=request.user, content=upload.read(), filename=upload.name, options=options
            )
            import_job_start(job=job, apply=False, actor=request.user)
            return HttpResponseRedirect(reverse("admin:inventory_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import an inventory",
            "form": form,
            "opts": self.model._meta,
            "columns": COLUMNS,
        }
        return TemplateResponse(request, "admin/inventory/importjob/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The dry run (or the import's report), with the button that confirms it."""
        self._require(request)
        job = get_object_or_404(ImportJob, pk=object_id)
        report = job.report or {}
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import of {job.filename}",
            "job": job,
            "report": report,
            "running": job.status in RUNNING,
            "can_apply": job.status == ImportStatus.CHECKED and not report.get("errors"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/inventory/importjob/report.html", context)

    def apply_view(self, request, pk: int):
        self._require(request)
        job = get_object_or_404(ImportJob, pk=pk)
        try:
            job = import_job_start(job=job, apply=True, actor=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            if job.status == ImportStatus.APPLIED:
                self.message_user(request, "Imported.", messages.SUCCESS)
            elif job.status == ImportStatus.REFUSED:
                self.message_user(request, "Nothing was imported: see the errors.", messages.ERROR)
        return HttpResponseRedirect(reverse("admin:inventory_importjob_change", args=[pk]))

    def progress_view(self, request, pk: int):
        self._require(request)
        job = get_object_or_404(ImportJob, pk=pk)
        return JsonResponse(
            {
                "status": job.status,
                "stage": job.stage,
                "percent": job.percent,
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
            }
        )
