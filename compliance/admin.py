"""The compliance admin: administrators correct the dates of application, edit the catalogue
and the crosswalk; obligations and profiles change through the same services as the API;
claims and documents are read-only (append-only records)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance import services
from compliance.choices import OPEN_STATUSES
from compliance.models import (
    ApplicationDate,
    Attachment,
    CatalogueVersion,
    CrosswalkEntry,
    ExemptionClaim,
    Obligation,
    ObligationType,
    RegulatoryProfile,
)
from core.admin import FlywheelAdmin, executives_read
from core.bounds import BoundedModelForm
from core.errors import ApplicationError

executives_read("compliance")


class ServiceCheckedForm(BoundedModelForm):
    """Asks the service what it would refuse before the admin saves, so that a refusal shows
    on the form instead of failing the save. The admin's get_form sets ``service_check``."""

    service_check = None  # (form, cleaned_data) -> None, raising what the service refuses

    def clean(self):
        data = super().clean()
        if self.service_check is not None and not self.errors:
            try:
                self.service_check(self, data)
            except (ApplicationError, PermissionDenied) as exc:
                raise ValidationError(getattr(exc, "message", str(exc))) from exc
        return data


class ComplianceAdmin(FlywheelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ApplicationDate)
class ApplicationDateAdmin(ComplianceAdmin):
    """Correcting a date moves the due dates of the open obligations generated from it (with
    history, owners told), through the same service as the catalogue's migrations."""

    list_display = ("key", "applies_from", "original_date", "amended_by", "updated_at")
    search_fields = ("key", "provision", "source", "note", "amended_by")
    readonly_fields = ("updated_at",)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        _unused, moved = services.application_date_update(
            application_date=obj, actor=request.user, **changes
        )
        if moved:
            messages.info(
                request,
                _("%(count)s open obligation(s) now due on the new date.") % {"count": len(moved)},
            )


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(FlywheelAdmin):
    list_display = ("version", "reviewed_on", "applied_at")
    readonly_fields = ("applied_at",)


@admin.register(ObligationType)
class ObligationTypeAdmin(ComplianceAdmin):
    list_display = (
        "code",
        "article",
        "title",
        "tiers",
        "roles",
        "condition",
        "application_date",
        "due_when",
        "active",
    )
    list_filter = ("active", "due_when", "condition", "application_date")
    search_fields = ("code", "article", "title", "source")

    def has_delete_permission(self, request, obj=None):
        # A duty that use cases carry is retired (active off), never deleted.
        if obj is not None and obj.obligations.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CrosswalkEntry)
class CrosswalkEntryAdmin(FlywheelAdmin):
    list_display = ("framework", "reference", "title", "evidence", "position")
    list_filter = ("framework", "evidence")
    search_fields = ("reference", "title", "explanation")


@admin.register(RegulatoryProfile)
class RegulatoryProfileAdmin(FlywheelAdmin):
    list_display = ("use_case", "act_role", "fria_scope", "updated_at", "updated_by")
    list_filter = ("act_role", "fria_scope")
    raw_id_fields = ("use_case",)
    readonly_fields = ("updated_at", "updated_by")
    actions = ["export_csv", "regenerate_obligations"]

    form = ServiceCheckedForm

    def get_readonly_fields(self, request, obj=None):
        # A profile belongs to its use case for good; only the role and the scope change.
        return (*self.readonly_fields, "use_case") if obj else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.service_check = staticmethod(
            lambda form, data: services.regulatory_profile_check(
                use_case=data.get("use_case") or form.instance.use_case, actor=request.user
            )
        )
        return form

    def save_model(self, request, obj, form, change):
        services.regulatory_profile_record(
            use_case=obj.use_case,
            actor=request.user,
            act_role=obj.act_role,
            fria_scope=obj.fria_scope,
            **{name: getattr(obj, name) for name in services.PROFILE_FACTS},
        )
        obj.pk = RegulatoryProfile.objects.get(use_case=obj.use_case).pk

    @admin.action(description=gettext_lazy("Regenerate the obligations of the selected use cases"))
    def regenerate_obligations(self, request, queryset):
        created = 0
        for profile in queryset.select_related("use_case"):
            created += services.obligations_sync(use_case=profile.use_case).created
        messages.success(request, _("%(created)s obligation(s) created.") % {"created": created})


class OverdueFilter(admin.SimpleListFilter):
    """Open obligations past their due date (the dashboard's overdue figure opens this)."""

    title = gettext_lazy("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())


class ObligationAdmin(ComplianceAdmin):
    form = ServiceCheckedForm

    list_display = ("use_case", "article", "owner", "status", "due_date", "evidence_link")
    list_filter = (
        "status",
        OverdueFilter,
        ("use_case__department", admin.RelatedOnlyFieldListFilter),
        "obligation_type__due_when",
        "obligation_type",
    )
    search_fields = ("use_case__title", "obligation_type__article", "obligation_type__title")
    list_select_related = ("use_case", "obligation_type", "owner")
    raw_id_fields = ("owner",)
    fields = (
        "use_case",
        "obligation_type",
        "owner",
        "status",
        "due_date",
        "evidence_link",
        "notes",
        "met_at",
    )
    readonly_fields = ("use_case", "obligation_type", "met_at")

    @admin.display(description=gettext_lazy("Article"), ordering="obligation_type__article")
    def article(self, obj):
        return obj.obligation_type.article

    def has_add_permission(self, request, *args):
        return False  # generated from tier and role (the profile), never added by hand

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.service_check = staticmethod(
            lambda form, data: services.obligation_check(
                obligation=form.instance,
                actor=request.user,
                changes={name: data.get(name) for name in form.changed_data},
            )
        )
        return form

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        services.obligation_update(obligation=obj, actor=request.user, **changes)


admin.site.register(Obligation, ObligationAdmin)


class AppendOnlyAdmin(FlywheelAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExemptionClaim)
class ExemptionClaimAdmin(AppendOnlyAdmin):
    list_display = (
        "use_case",
        "condition",
        "profiles_people",
        "outcome",
        "claimed_by",
        "claimed_at",
    )
    list_filter = ("outcome", "profiles_people", "condition")


@admin.register(Attachment)
class AttachmentAdmin(AppendOnlyAdmin):
    list_display = (
        "title",
        "use_case",
        "kind",
        "version",
        "size",
        "uploaded_by",
        "uploaded_at",
        "download",
    )
    list_filter = ("kind",)
    exclude = ("file",)

    @admin.display(description=gettext_lazy("Download"))
    def download(self, obj):
        return format_html(
            '<a href="{}">download</a>', reverse("compliance:attachment-download", args=[obj.pk])
        )
