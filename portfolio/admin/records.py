"""Admins of departments, people, metrics, readings, gaps, artifacts, notifications and
the append-only transition record."""

from django.contrib import admin
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.admin import FlywheelAdmin, ReadOnlyAdmin, ReadOnlyInline
from core.admin_services import ServiceWriteMixin
from portfolio import services
from portfolio.models import (
    Artifact,
    DataGap,
    Department,
    ForecastSnapshot,
    Membership,
    Metric,
    MetricReading,
    Notification,
    TransitionRecord,
)


class MembershipInline(ReadOnlyInline):
    """Read here; roles are given and taken in the membership admin, through the services."""

    model = Membership
    fields = ("user", "role")


@admin.register(Department)
class DepartmentAdmin(ServiceWriteMixin, FlywheelAdmin):
    """Written through portfolio.services (department_create, department_update); a
    department holds use cases and is never deleted."""

    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, data):
        return services.department_create(**data)

    def service_update(self, request, obj, changes):
        return services.department_update(department=obj, **changes)


@admin.register(Membership)
class MembershipAdmin(ServiceWriteMixin, FlywheelAdmin):
    """Roles given, changed and taken through portfolio.services (membership_set,
    membership_remove); a membership's person and department stay, only the role changes."""

    list_display = ("user", "department", "role")
    list_filter = ("department", "role")
    list_select_related = ("user", "department")
    search_fields = ("user__username", "user__last_name", "department__name")
    autocomplete_fields = ("user",)

    def get_readonly_fields(self, request, obj=None):
        return ("user", "department") if obj is not None else ()

    def service_create(self, request, data):
        return services.membership_set(
            user=data["user"], department=data["department"], role=data["role"]
        )

    def service_update(self, request, obj, changes):
        return services.membership_set(
            user=obj.user, department=obj.department, role=changes.get("role", obj.role)
        )

    def delete_model(self, request, obj):
        services.membership_remove(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):
            services.membership_remove(membership=membership)


@admin.register(Metric)
class MetricAdmin(ServiceWriteMixin, FlywheelAdmin):
    """Written through the metric services: locked goalposts stay locked here too."""

    list_display = (
        "name",
        "use_case",
        "kind",
        "unit",
        "direction",
        "baseline",
        "target",
        "cadence",
        "paired_with",
        "retired_at",
    )
    list_filter = ("kind", "cadence", "direction", "use_case__department")
    list_select_related = ("use_case", "paired_with")
    search_fields = ("name", "use_case__title")
    raw_id_fields = ("use_case", "paired_with")

    def has_delete_permission(self, request, obj=None):
        return False  # removed only through the API, while the goalposts are not locked

    def get_readonly_fields(self, request, obj=None):
        # Retired only by an approved re-baselining request (governance), never here.
        return ("use_case", "retired_at") if obj is not None else ()

    def service_create(self, request, data):
        return services.metric_create(
            actor=request.user,
            use_case=data.pop("use_case"),
            name=data.pop("name"),
            unit=data.pop("unit"),
            **data,
        )

    def service_update(self, request, obj, changes):
        return services.metric_update(actor=request.user, metric=obj, **changes)


@admin.register(MetricReading)
class MetricReadingAdmin(ReadOnlyAdmin):
    """Readings are evidence: listed and exported, never added, changed or deleted here (a
    correction is a new reading, made through the API or the use case page)."""

    list_display = (
        "metric",
        "use_case",
        "value",
        "measured_at",
        "recorded_by",
        "supersedes",
        "correction_reason",
        "created_at",
    )
    list_filter = ("metric__use_case__department", "metric__kind")
    list_select_related = ("metric__use_case", "recorded_by")
    search_fields = ("metric__name", "metric__use_case__title")
    date_hierarchy = "measured_at"
    raw_id_fields = ("metric", "recorded_by")

    @admin.display(description=_("Use case"), ordering="metric__use_case__title")
    def use_case(self, obj):
        return obj.metric.use_case


@admin.register(DataGap)
class DataGapAdmin(ServiceWriteMixin, FlywheelAdmin):
    list_display = (
        "description",
        "use_case",
        "closing_work",
        "work_owner",
        "owner_committed",
        "blocks_production",
    )
    list_filter = ("owner_committed", "blocks_production", "use_case__department")
    list_select_related = ("use_case",)
    search_fields = ("description", "use_case__title", "work_owner")
    raw_id_fields = ("use_case",)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("use_case",) if obj is not None else ()

    def service_create(self, request, data):
        return services.data_gap_create(
            actor=request.user,
            use_case=data.pop("use_case"),
            description=data.pop("description"),
            **data,
        )

    def service_update(self, request, obj, changes):
        return services.data_gap_update(actor=request.user, gap=obj, **changes)


@admin.register(Artifact)
class ArtifactAdmin(ServiceWriteMixin, FlywheelAdmin):
    list_display = ("use_case", "kind", "status", "updated_at", "updated_by")
    list_filter = ("kind", "status", "use_case__department")
    list_select_related = ("use_case", "updated_by")
    search_fields = ("use_case__title", "content")
    raw_id_fields = ("use_case",)
    fields = ("use_case", "kind", "status", "content", "updated_by")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("use_case", "kind", "updated_by") if obj is not None else ("updated_by",)

    def service_create(self, request, data):
        return services.artifact_save(actor=request.user, **data)

    def service_update(self, request, obj, changes):
        fields = {"content": obj.content, "status": obj.status, **changes}
        return services.artifact_save(
            actor=request.user, use_case=obj.use_case, kind=obj.kind, **fields
        )


@admin.register(Notification)
class NotificationAdmin(FlywheelAdmin):
    list_display = ("subject", "recipient", "kind", "use_case", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("recipient", "use_case")
    search_fields = ("subject", "recipient__username")
    raw_id_fields = ("recipient", "use_case")


@admin.register(TransitionRecord)
class TransitionRecordAdmin(ReadOnlyAdmin):
    """The append-only record: listed and exported, never added, changed or deleted."""

    list_display = ("at", "use_case", "transition", "from_state", "to_state", "actor", "reason")
    list_filter = ("transition", "to_state", "use_case__department")
    list_select_related = ("use_case", "actor")
    search_fields = ("use_case__title", "reason")
    date_hierarchy = "at"


class ForecastOutcomeFilter(admin.SimpleListFilter):
    """The back-test's rows: completed durations inside or outside their 80% interval."""

    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [
            ("completed", "Completed (back-tested)"),
            ("inside", "Inside the 80% interval"),
            ("outside", "Outside the 80% interval"),
            ("open", "Not completed"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        completed = queryset.filter(use_case__isnull=False, actual_days__isnull=False)
        inside = Q(actual_days__gte=F("low"), actual_days__lte=F("high"))
        if value == "completed":
            return completed
        if value == "inside":
            return completed.filter(inside)
        if value == "outside":
            return completed.exclude(inside)
        if value == "open":
            return queryset.filter(actual_days__isnull=True)
        return queryset


@admin.register(ForecastSnapshot)
class ForecastSnapshotAdmin(ReadOnlyAdmin):
    """Forecasts at intake, computed by the velocity job: listed and exported, never edited."""

    list_display = (
        "use_case",
        "scope",
        "measure",
        "submitted_at",
        "days",
        "low",
        "high",
        "actual_days",
        "basis",
        "n",
    )
    list_filter = ("measure", "basis", ForecastOutcomeFilter, "department")
    list_select_related = ("use_case",)
    search_fields = ("use_case__title", "scope")
    raw_id_fields = ("use_case", "department")
