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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.bounds import BoundedForm, BoundedModelForm
from core.errors import ApplicationError
from core.roles import roles_of
from inventory import extra_columns
from inventory.api.views import download, download_stream
from inventory.exporting import inventory_export_stream, template_file
from inventory.mapping import DAY_FIRST, MONTH_FIRST
from inventory.models import ImportJob, ImportMapping, ImportStatus
from inventory.services import (
    import_job_create,
    import_job_remap,
    import_job_start,
    import_mapping_save,
)
from inventory.template import COLUMNS, REGISTER_COLUMNS

FORMATS = ("xlsx", "csv")
RUNNING = (ImportStatus.CHECKING, ImportStatus.APPLYING)


def field_choices() -> list[tuple[str, str]]:
    """The fields a column may be mapped to (other apps' columns too: extra_columns)."""
    return [("", "(ignored)")] + [
        (column.key, f"{column.header} ({', '.join(column.records)})")
        for column in (*COLUMNS, *REGISTER_COLUMNS, *extra_columns.COLUMNS)
    ]


ORDER_CHOICES = [("", "(as found)"), (DAY_FIRST, "day first (31/12/2025)"),
                 (MONTH_FIRST, "month first (12/31/2025)")]  # fmt: skip


class RegisterChoicesForm(BoundedForm):
    """Where the register is, and the options the person sets before the dry run."""

    sheet = forms.CharField(
        required=False, max_length=255, help_text=gettext_lazy("Found when left blank.")
    )
    header_row = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1000000,
        help_text=gettext_lazy("Found when left blank."),
    )
    department = forms.CharField(
        required=False,
        max_length=120,
        help_text=gettext_lazy("The department of rows without one."),
    )
    create_departments = forms.BooleanField(
        required=False,
        help_text=gettext_lazy("Create the departments the file names that do not exist."),
    )
    create_people = forms.BooleanField(
        required=False,
        help_text=gettext_lazy(
            "Create the people no e-mail, user name or full name matches (with a "
            "user name made from the e-mail or name, and no role)."
        ),
    )
    month_first = forms.BooleanField(
        required=False, help_text=gettext_lazy("Every numeric date is month first (03/31/2024).")
    )


class UploadForm(RegisterChoicesForm):
    file = forms.FileField(
        help_text=gettext_lazy("CSV or Excel (.xlsx): the template or your own register.")
    )
    mapping_name = forms.ModelChoiceField(
        queryset=ImportMapping.objects.all(),
        required=False,
        to_field_name="name",
        help_text=gettext_lazy(
            "Start from a mapping saved at an earlier import of the same register."
        ),
    )
    field_order = ["file", "mapping_name", "sheet", "header_row", "department"]


class MappingForm(RegisterChoicesForm):
    """Each column's field and date order, as the person confirms them."""

    save_as = forms.CharField(
        required=False,
        max_length=120,
        help_text=gettext_lazy("Keep this mapping by name for next time."),
    )

    def __init__(self, *args, columns=(), sheets=(), **kwargs):
        super().__init__(*args, **kwargs)
        if sheets:
            self.fields["sheet"] = forms.ChoiceField(
                choices=[(name, name) for name in sheets], required=False
            )
        self.columns = list(columns)
        for column in self.columns:
            self.fields[f"field_{column['letter']}"] = forms.ChoiceField(
                choices=field_choices(), required=False, label=column["column"] or column["letter"]
            )
            if column.get("date_order") or column.get("date_readings"):
                self.fields[f"order_{column['letter']}"] = forms.ChoiceField(
                    choices=ORDER_CHOICES, required=False
                )

    def rows(self):
        """Each column with its form fields, for the template."""
        for column in self.columns:
            order = self.fields.get(f"order_{column['letter']}")
            yield {
                **column,
                "field_widget": self[f"field_{column['letter']}"],
                "order_widget": self[f"order_{column['letter']}"] if order else None,
            }

    def options(self, report: dict) -> dict:
        """The person's choices: the columns and the place they changed or chose before;
        the rest keep their suggestion (and are shown as found, not as chosen)."""
        data = self.cleaned_data
        options = {name: data[name] for name in (
            "department", "create_departments", "create_people", "month_first")}  # fmt: skip
        for name in ("sheet", "header_row"):
            if data[name] not in (None, "") and (
                data[name] != report.get(name) or report.get(f"{name}_how") == "chosen"
            ):
                options[name] = data[name]
        options["mapping"] = {
            c["letter"]: data[f"field_{c['letter']}"]
            for c in self.columns
            if (data[f"field_{c['letter']}"] or None) != c["field"] or c["how"] == "chosen"
        }
        options["date_orders"] = {
            c["letter"]: data[f"order_{c['letter']}"]
            for c in self.columns
            if data.get(f"order_{c['letter']}")
        }
        return options


class AdministratorsOnly:
    """An admin page only portfolio administrators see."""

    def _is_admin(self, request) -> bool:
        return request.user.is_active and roles_of(request.user).is_admin

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)


@admin.register(ImportJob)
class ImportJobAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = BoundedModelForm
    list_display = ["filename", "status", "created_by", "created_at", "applied_at"]
    list_filter = ["status"]
    change_list_template = "admin/inventory/importjob/change_list.html"

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
            path(
                "<int:pk>/mapping/",
                wrap(require_POST(self.mapping_view)),
                name="inventory_mapping",
            ),
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
                for k in ("create_departments", "create_people", "month_first", "sheet",
                          "header_row", "department")
            }  # fmt: skip
            saved = form.cleaned_data["mapping_name"]
            options["mapping_name"] = saved.name if saved else ""
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
            "columns": [*COLUMNS, *extra_columns.COLUMNS],
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
            "mapping_form": self._mapping_form(job, report),
            "running": job.status in RUNNING,
            "can_apply": job.status == ImportStatus.CHECKED and not report.get("errors"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/inventory/importjob/report.html", context)

    def _mapping_form(self, job, report, data=None):
        if job.status in (ImportStatus.APPLIED, *RUNNING) or not report.get("mapping"):
            return None
        options = job.options or {}
        initial = {
            "sheet": report.get("sheet", ""),
            "header_row": report.get("header_row"),
            **{k: options.get(k) for k in ("department", "create_departments",
                                           "create_people", "month_first")},
        }  # fmt: skip
        for column in report["mapping"]:
            initial[f"field_{column['letter']}"] = column["field"] or ""
            initial[f"order_{column['letter']}"] = column.get("date_order") or ""
        return MappingForm(
            data,
            initial=initial,
            columns=report["mapping"],
            sheets=[s["name"] for s in report.get("sheets", [])],
        )

    def mapping_view(self, request, pk: int):
        """The person's mapping: saved on the job, the dry run again, kept by name if asked."""
        self._require(request)
        job = get_object_or_404(ImportJob, pk=pk)
        form = self._mapping_form(job, job.report or {}, request.POST)
        if form is None:
            self.message_user(
                request, _("This import's mapping cannot change now."), messages.ERROR
            )
        elif not form.is_valid():
            self.message_user(
                request,
                _("Not changed: %(errors)s") % {"errors": form.errors.as_text()},
                messages.ERROR,
            )
        else:
            before = job.report or {}
            options = form.options(before)
            if any(options.get(name, before.get(name)) != before.get(name)
                   for name in ("sheet", "header_row")):  # fmt: skip
                options["mapping"], options["date_orders"] = {}, {}
            try:
                job = import_job_remap(actor=request.user, job=job, options=options)
                job = import_job_start(job=job, apply=False, actor=request.user)
                if form.cleaned_data["save_as"] and job.report.get("mapping"):
                    import_mapping_save(actor=request.user, name=form.cleaned_data["save_as"],
                                        report=job.report, options=job.options)  # fmt: skip
                    kept = _("Mapping kept as '%(save_as)s'.") % {
                        "save_as": form.cleaned_data["save_as"]
                    }
                    self.message_user(request, kept, messages.SUCCESS)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:inventory_importjob_change", args=[pk]))

    def apply_view(self, request, pk: int):
        self._require(request)
        job = get_object_or_404(ImportJob, pk=pk)
        try:
            job = import_job_start(job=job, apply=True, actor=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            if job.status == ImportStatus.APPLIED:
                self.message_user(request, _("Imported."), messages.SUCCESS)
            elif job.status == ImportStatus.REFUSED:
                self.message_user(
                    request, _("Nothing was imported: see the errors."), messages.ERROR
                )
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


@admin.register(ImportMapping)
class ImportMappingAdmin(AdministratorsOnly, admin.ModelAdmin):
    """The mappings kept by name: read, or deleted when a register changes shape."""

    form = BoundedModelForm
    list_display = ["name", "sheet", "header_row", "department", "updated_at"]
    readonly_fields = ["name", "sheet", "header_row", "columns", "date_orders", "department",
                       "created_by", "updated_at"]  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
