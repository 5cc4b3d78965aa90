"""The components admin: components and their links written through the same services as
the API (the change history records who), the BOM import with its dry run, the vendor
questionnaire; incidents reported and corrected here too, never edited (a correction is a new
row superseding the one corrected, through the same service as the API); assessments
read-only."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import modelform_factory
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from components import mlflow_client, services
from components.bom_admin import BomImportAdminMixin
from components.models import (
    AssessmentQuestion,
    Component,
    ComponentLink,
    Incident,
    MlflowLink,
    VendorAssessment,
)
from core.admin import FlywheelAdmin, ReadOnlyAdmin, ReadOnlyInline, executives_read
from core.bounds import BoundedModelForm
from core.errors import ApplicationError

executives_read("components")


def _errors_onto(form, exc: Exception) -> None:
    """A service's refusal shown on the form: per field where it names one."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, getattr(exc, "message", None) or str(exc))


class ServiceForm(BoundedModelForm):
    """Runs the service's checks in clean(), so a refusal shows on the form, not as a 500."""

    def _check(self, data):  # overridden per form
        return None

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self._check(data)
            except (ValidationError, ApplicationError, PermissionDenied) as exc:
                _errors_onto(self, exc)
        return data


class ComponentForm(ServiceForm):
    def _check(self, data):
        kind = data.get("kind") or self.instance.kind
        services._check_kind_fields(
            kind, {k: v for k, v in data.items() if k in services.KIND_FIELDS}
        )


class LinkInline(ReadOnlyInline):
    model = ComponentLink
    fields = ("use_case", "role", "note", "created_by", "created_at")


class MlflowInline(ReadOnlyInline):
    model = MlflowLink
    fields = mlflow_client.LINK_FIELDS


@admin.register(Component)
class ComponentAdmin(BomImportAdminMixin, FlywheelAdmin, SimpleHistoryAdmin):
    form = ComponentForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "name",
        "version",
        "kind",
        "vendor",
        "owner",
        "personal_data",
        "assessment_status",
        "updated_at",
    )
    list_filter = ("kind", "personal_data", "assessment_status", "autonomy")
    search_fields = ("name", "description", "bom_ref")
    list_select_related = ("vendor", "owner")
    autocomplete_fields = ("owner",)
    readonly_fields = ("assessment_status", "bom_serial", "bom_ref", "created_at", "updated_at")
    inlines = [LinkInline, MlflowInline]
    actions = ["export_csv", "fetch_mlflow"]

    def get_urls(self):
        return [
            *self.bom_urls(),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE
        }
        if change:
            services.component_update(component=obj, actor=request.user, **fields)
        else:
            created = services.component_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                **{k: v for k, v in fields.items() if k != "name"},
            )
            obj.pk = created.pk

    @admin.action(description=gettext_lazy("Fetch the MLflow metrics of the selected models now"))
    def fetch_mlflow(self, request, queryset):
        fetched = [
            mlflow_client.mlflow_fetch(link=link)
            for link in MlflowLink.objects.filter(component__in=queryset).select_related(
                "component"
            )
        ]
        failed = [str(link.component) for link in fetched if link.fetch_error]
        messages.info(
            request,
            _("%(count)s fetched; no data for: %(failed)s.")
            % {"count": len(fetched), "failed": ", ".join(failed) or _("none")},
        )


class LinkForm(ServiceForm):
    def _check(self, data):
        if data.get("use_case") and not self.instance.pk:
            import rules

            if not rules.has_perm("components.link_use_case", self.request_user, data["use_case"]):
                raise PermissionDenied(
                    _("Only those who manage the use case link components to it.")
                )


@admin.register(ComponentLink)
class ComponentLinkAdmin(FlywheelAdmin, SimpleHistoryAdmin):
    form = LinkForm
    list_display = ("component", "use_case", "role", "created_by", "created_at")
    list_filter = ("role", "component__kind")
    list_select_related = ("component", "use_case", "created_by")
    search_fields = ("component__name", "use_case__title")
    autocomplete_fields = ("use_case",)
    fields = ("use_case", "component", "role", "note")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        link = services.component_link(
            actor=request.user,
            use_case=obj.use_case,
            component=obj.component,
            role=obj.role,
            note=obj.note,
        )
        obj.pk = link.pk

    def delete_model(self, request, obj):
        services.component_unlink(link=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for link in queryset:
            services.component_unlink(link=link, actor=request.user)


class IncidentForm(ServiceForm):
    class Meta:
        model = Incident
        fields = ("use_case", *services.INCIDENT_FIELDS)

    def _check(self, data):
        services._check_incident_moments(data, timezone.now())


class IncidentCorrectionForm(BoundedModelForm):
    """The incident's fields as they stand, to change, and why (a new row, the old one kept)."""

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    class Meta:
        model = Incident
        fields = services.INCIDENT_FIELDS


@admin.register(Incident)
class IncidentAdmin(FlywheelAdmin):
    """Reported here like anywhere else; the rows are never changed or deleted."""

    form = IncidentForm
    list_display = (
        "number",
        "title",
        "use_case",
        "serious",
        "aware_at",
        "authority_reported_at",
        "reported_by",
        "recorded_at",
        "supersedes",
    )
    list_filter = ("serious", "death", "widespread", "organisation_role")
    list_select_related = ("use_case", "reported_by")
    search_fields = ("title", "use_case__title")
    autocomplete_fields = ("use_case",)

    readonly_fields = ("correct_link",)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/correct/",
                wrap(self.correct_view),
                name="components_incident_correct",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in fields if f != "correct_link"] if obj is None else fields

    @admin.display(description=gettext_lazy("Correction"))
    def correct_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        if Incident.objects.filter(supersedes=obj).exists():
            return "Corrected by a later row; correct the latest."
        url = reverse("admin:components_incident_correct", args=[obj.pk])
        return format_html('<a class="button" href="{}">Correct this incident</a>', url)

    def correct_view(self, request, pk):
        """Correct an incident: the form holds its current values; saving adds a row that
        supersedes it, with the reason (services.incident_correct, as the API)."""
        incident = get_object_or_404(Incident.objects.select_related("use_case"), pk=pk)
        if not self.has_view_permission(request, incident):
            raise PermissionDenied
        form_class = modelform_factory(
            Incident,
            form=IncidentCorrectionForm,
            fields=services.INCIDENT_FIELDS,
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
        )
        form = form_class(request.POST or None, instance=incident)
        if request.method == "POST" and form.is_valid():
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.INCIDENT_FIELDS
            }
            try:
                corrected = services.incident_correct(
                    incident=incident,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    **changes,
                )
            except (ValidationError, ApplicationError, PermissionDenied) as exc:
                _errors_onto(form, exc)
            else:
                messages.success(
                    request,
                    _("Incident %(number)s corrected; both rows are kept.")
                    % {"number": corrected.number},
                )
                return redirect("admin:components_incident_change", corrected.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Correct incident {incident.number}: {incident.title}",
            "form": form,
            "media": self.media + form.media,
            "incident": incident,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/components/incident/correct.html", context)

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k != "use_case"}
        incident = services.incident_report(
            actor=request.user, use_case=form.cleaned_data["use_case"], **data
        )
        obj.pk = incident.pk


@admin.register(AssessmentQuestion)
class AssessmentQuestionAdmin(FlywheelAdmin):
    list_display = ("text", "weight", "position", "active")
    list_editable = ("weight", "position", "active")
    list_filter = ("active",)


@admin.register(VendorAssessment)
class VendorAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("vendor", "score", "passed", "assessed_by", "assessed_at")
    list_filter = ("passed",)
    list_select_related = ("vendor", "assessed_by")
