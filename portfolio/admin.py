"""The portfolio admin: read-mostly, lifecycle moves only as actions that call the services.

Executives (staff in the "Executives" group) read everything and change nothing. The state
of a use case is never a form field; forward moves happen only through gate decisions, so
no action offers them. The transition record can be read, never added, changed or deleted.
"""

import csv

import rules
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst, slugify

from portfolio import services
from portfolio.choices import STAGE_ORDER, Playbook, RiskTier, State, Transition
from portfolio.errors import ApplicationError
from portfolio.models import (
    Artifact,
    DataGap,
    Department,
    Membership,
    Metric,
    MetricReading,
    Notification,
    TransitionRecord,
    UseCase,
)
from portfolio.roles import roles_of
from portfolio.rules import is_executive, is_portfolio_admin
from portfolio.selectors_velocity import pilots_past_time_box

# The apps whose admin executives read. Granting the view permissions as rules (not rows in
# the permission table) keeps "executives read everything" true for models added later.
EXECUTIVE_READABLE_APPS = ("portfolio", "gates", "governance")
READERS = is_portfolio_admin | is_executive


def _grant_read_to_executives() -> None:
    # The admin is discovered before the apps' own rules modules; load those first so that a
    # permission an app declares itself is never shadowed by (or collides with) this default.
    autodiscover_modules("rules")
    for label in EXECUTIVE_READABLE_APPS:
        if not rules.perm_exists(label):
            rules.add_perm(label, READERS)
        try:
            models = apps.get_app_config(label).get_models()
        except LookupError:
            continue
        for model in models:
            name = f"{label}.view_{model._meta.model_name}"
            if not rules.perm_exists(name):
                rules.add_perm(name, READERS)


_grant_read_to_executives()


class ExecutiveReadOnlyMixin:
    """Executives view, never add, change or delete; portfolio administrators manage."""

    def has_module_permission(self, request):
        return READERS(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return READERS(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        if _only_reads(request.user):
            return False
        return roles_of(request.user).is_admin or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if _only_reads(request.user):
            return False
        return roles_of(request.user).is_admin or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _only_reads(request.user):
            return False
        return roles_of(request.user).is_admin or super().has_delete_permission(request, obj)


def _only_reads(user) -> bool:
    roles = roles_of(user)
    return roles.is_executive and not roles.is_admin


class CsvExportMixin:
    """CSV of the list as filtered on screen (an "Export CSV" link) or of the selected rows."""

    change_list_template = "admin/flywheel/change_list_export.html"
    actions = ["export_csv"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name=f"{opts.app_label}_{opts.model_name}_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self._csv(request, changelist.get_queryset(request))

    @admin.action(description="Export selected rows to CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv(request, queryset)

    def csv_fields(self, request):
        return [name for name in self.get_list_display(request) if name != "action_checkbox"]

    def _csv(self, request, queryset):
        fields = self.csv_fields(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = slugify(self.model._meta.verbose_name_plural)
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [capfirst(str(label_for_field(name, self.model, model_admin=self))) for name in fields]
        )
        for obj in queryset:
            row = []
            for name in fields:
                _, _, value = lookup_field(name, obj, self)
                row.append("" if value is None else str(value))
            writer.writerow(row)
        return response


class PortfolioAdmin(ExecutiveReadOnlyMixin, CsvExportMixin, admin.ModelAdmin):
    """The shape of every portfolio admin: read-only for executives, exportable lists."""

    list_per_page = 50


# --- use cases --------------------------------------------------------------------------


class KillForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Why the use case stops. It stays on the record.",
    )


class MetricInline(admin.TabularInline):
    model = Metric
    fk_name = "use_case"
    extra = 0
    fields = ("kind", "name", "unit", "direction", "baseline", "target", "cadence", "paired_with")
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return roles_of(request.user).is_admin and not _only_reads(request.user)

    def has_change_permission(self, request, obj=None):
        return roles_of(request.user).is_admin and not _only_reads(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return READERS(request.user)


class DataGapInline(MetricInline):
    model = DataGap
    fields = (
        "description",
        "closing_work",
        "work_owner",
        "owner_committed",
        "blocks_production",
    )


class TransitionInline(admin.TabularInline):
    model = TransitionRecord
    extra = 0
    fields = ("at", "transition", "from_state", "to_state", "actor", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return READERS(request.user)


class FlagListFilter(admin.SimpleListFilter):
    """Use cases with an open flag of a kind (when the velocity app stores flags)."""

    title = "flag"
    parameter_name = "flag"

    def _flag_model(self):
        for model in apps.get_app_config("portfolio").get_models():
            if model.__name__ == "Flag":
                return model
        return None

    def lookups(self, request, model_admin):
        model = self._flag_model()
        if model is None:
            return []
        kind = model._meta.get_field("kind")
        return [("any", "Any open flag"), *kind.choices]

    def queryset(self, request, queryset):
        model = self._flag_model()
        value = self.value()
        if model is None or not value:
            return queryset
        flags = model.objects.all()
        if _has_field(model, "cleared_at"):
            flags = flags.filter(cleared_at__isnull=True)
        elif _has_field(model, "active"):
            flags = flags.filter(active=True)
        if value != "any":
            flags = flags.filter(kind=value)
        return queryset.filter(pk__in=flags.values("use_case_id"))


class ReachedStageFilter(admin.SimpleListFilter):
    """Use cases that ever reached a stage, from the transition record (the funnel's rows)."""

    title = "reached stage"
    parameter_name = "reached"

    def lookups(self, request, model_admin):
        return [(stage.value, stage.label) for stage in STAGE_ORDER[1:]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        entered = TransitionRecord.objects.filter(to_state=self.value()).values("use_case_id")
        if self.value() == State.SUBMITTED:
            return queryset.filter(submitted_at__isnull=False)
        return queryset.filter(pk__in=entered)


class KilledInStageFilter(admin.SimpleListFilter):
    """Use cases killed in a stage (a kill while on hold counts at the stage it was held
    from), so the kill rate per gate opens on the use cases it counts."""

    title = "killed in stage"
    parameter_name = "killed_in"

    def lookups(self, request, model_admin):
        return [(stage.value, stage.label) for stage in STAGE_ORDER[1:]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        kills = TransitionRecord.objects.filter(transition=Transition.KILL).filter(
            Q(from_state=self.value())
            | Q(from_state=State.ON_HOLD, use_case__state_before_hold=self.value())
        )
        return queryset.filter(pk__in=kills.values("use_case_id"))


class PastTimeBoxFilter(admin.SimpleListFilter):
    """Pilots past their time box (the money the dashboard counts as overrun)."""

    title = "pilot time box"
    parameter_name = "past_time_box"

    def lookups(self, request, model_admin):
        return [("1", "Past its time box")]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        overdue = [pilot.pk for pilot in pilots_past_time_box()]
        return queryset.filter(pk__in=overdue)


def choices_filter(field: str, choices, title: str):
    """A list filter over a generated field, labelled by the choices of its output field
    (a GeneratedField offers no choices of its own to the admin)."""

    class ChoicesFilter(admin.SimpleListFilter):
        parameter_name = f"{field}__exact"

        def lookups(self, request, model_admin):
            return list(choices)

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    ChoicesFilter.title = title
    return ChoicesFilter


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


@admin.register(UseCase)
class UseCaseAdmin(PortfolioAdmin):
    list_display = (
        "title",
        "department",
        "state",
        "playbook_label",
        "risk_label",
        "origin_label",
        "submitted_at",
        "build_cost",
        "expected_benefit_yearly",
        "realised_benefit_yearly",
        "expected_roi",
        "overview",
    )
    list_filter = (
        "department",
        "state",
        choices_filter("playbook", Playbook.choices, "playbook"),
        choices_filter("risk_tier", RiskTier.choices, "risk tier"),
        "origin",
        FlagListFilter,
        ReachedStageFilter,
        KilledInStageFilter,
        PastTimeBoxFilter,
        ("template", admin.EmptyFieldListFilter),
    )
    list_select_related = ("department",)
    search_fields = ("title", "problem_statement", "operator_team")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("outcome_owner", "sponsor", "operator_lead", "template")
    # The state and everything derived or stamped by the lifecycle is shown, never written.
    readonly_fields = (
        "state",
        "state_before_hold",
        "playbook_label",
        "risk_label",
        "submitted_at",
        "state_changed_at",
        "metrics_locked_at",
        "sponsor_signed_off_at",
        "operator_signed_off_at",
        "created_by",
        "created_at",
        "updated_at",
        "expected_roi",
        "payback_months",
    )
    fieldsets = (
        (None, {"fields": ("title", "problem_statement", "department", "origin", "template")}),
        (
            "Lifecycle",
            {
                "fields": (
                    "state",
                    "state_before_hold",
                    "submitted_at",
                    "state_changed_at",
                    "metrics_locked_at",
                    "pilot_time_box_days",
                )
            },
        ),
        (
            "Outcome owner",
            {"fields": ("outcome_owner", "owner_controls_resources", "owner_dependencies")},
        ),
        ("Data and infrastructure", {"fields": ("data_assumed", "data_existing")}),
        (
            "Money",
            {
                "fields": (
                    "build_cost",
                    "run_cost_yearly",
                    "expected_benefit_yearly",
                    "realised_benefit_yearly",
                    "expected_roi",
                    "payback_months",
                )
            },
        ),
        ("Autonomy", {"fields": ("autonomy_share", "execution_budget_share")}),
        (
            "Sponsor and operator",
            {
                "fields": (
                    "sponsor",
                    "operator_team",
                    "operator_lead",
                    "success_definition",
                    "sponsor_signed_off_at",
                    "operator_signed_off_at",
                )
            },
        ),
        (
            "Playbook",
            {"fields": ("horizon", "knowledge", "playbook_label", "scenarios", "warning_signs")},
        ),
        (
            "Risk (EU AI Act)",
            {
                "fields": (
                    "risk_prohibited_practice",
                    "risk_annex_iii_area",
                    "risk_safety_component",
                    "risk_transparency_duty",
                    "risk_label",
                    "human_oversight",
                )
            },
        ),
        ("Record", {"fields": ("created_by", "created_at", "updated_at")}),
    )
    inlines = (MetricInline, DataGapInline, TransitionInline)
    actions = ["export_csv", "submit", "hold", "resume", "kill", "retire"]

    @admin.display(description="Playbook", ordering="playbook")
    def playbook_label(self, obj):
        return Playbook(obj.playbook).label if obj.playbook else ""

    @admin.display(description="Risk tier", ordering="risk_tier")
    def risk_label(self, obj):
        return RiskTier(obj.risk_tier).label if obj.risk_tier else ""

    @admin.display(description="Origin", ordering="origin")
    def origin_label(self, obj):
        return obj.get_origin_display().split(" (")[0]

    @admin.display(description="Expected ROI")
    def expected_roi(self, obj):
        return obj.expected_roi

    @admin.display(description="Payback (months)")
    def payback_months(self, obj):
        return obj.payback_months

    @admin.display(description="Overview")
    def overview(self, obj):
        try:
            url = reverse("flywheel-admin:use-case", args=[obj.pk])
        except NoReverseMatch:
            return ""
        return format_html('<a href="{}">timeline, gates, votes</a>', url)

    def csv_fields(self, request):
        return [name for name in super().csv_fields(request) if name != "overview"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # --- lifecycle actions: each calls the service, which checks state and permission ---

    def _run(self, request, queryset, verb: str, call) -> None:
        done, refused = 0, []
        for use_case in queryset:
            try:
                call(use_case)
                done += 1
            except (ApplicationError, PermissionDenied) as exc:
                refused.append(f"{use_case}: {getattr(exc, 'message', exc) or 'not allowed'}")
            except ValidationError as exc:
                problems = "; ".join(
                    f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
                )
                refused.append(f"{use_case}: {problems}")
        if done:
            self.message_user(request, f"{verb}: {done} use case(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Not {verb.lower()}: {line}", messages.ERROR)

    @admin.action(description="Submit selected drafts", permissions=["change"])
    def submit(self, request, queryset):
        self._run(
            request,
            queryset,
            "Submitted",
            lambda uc: services.use_case_submit(use_case=uc, actor=request.user),
        )

    @admin.action(description="Put selected on hold", permissions=["change"])
    def hold(self, request, queryset):
        self._run(
            request,
            queryset,
            "Held",
            lambda uc: services.use_case_hold(use_case=uc, actor=request.user, reason="admin"),
        )

    @admin.action(
        description="Resume selected (back to the stage they left)", permissions=["change"]
    )
    def resume(self, request, queryset):
        self._run(
            request,
            queryset,
            "Resumed",
            lambda uc: services.use_case_resume(use_case=uc, actor=request.user),
        )

    @admin.action(description="Retire selected live use cases", permissions=["change"])
    def retire(self, request, queryset):
        self._run(
            request,
            queryset,
            "Retired",
            lambda uc: services.use_case_retire(use_case=uc, actor=request.user),
        )

    @admin.action(description="Kill selected (asks for a reason)", permissions=["change"])
    def kill(self, request, queryset):
        form = KillForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._run(
                request,
                queryset,
                "Killed",
                lambda uc: services.use_case_kill(use_case=uc, actor=request.user, reason=reason),
            )
            return None
        return TemplateResponse(
            request,
            "admin/flywheel/kill_reason.html",
            {
                **self.admin_site.each_context(request),
                "title": "Kill use cases",
                "opts": self.model._meta,
                "form": form,
                "queryset": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


# --- the rest of the portfolio ----------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Department)
class DepartmentAdmin(PortfolioAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(PortfolioAdmin):
    list_display = ("user", "department", "role")
    list_filter = ("department", "role")
    list_select_related = ("user", "department")
    search_fields = ("user__username", "user__last_name", "department__name")
    autocomplete_fields = ("user",)


@admin.register(Metric)
class MetricAdmin(PortfolioAdmin):
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
    )
    list_filter = ("kind", "cadence", "direction", "use_case__department")
    list_select_related = ("use_case", "paired_with")
    search_fields = ("name", "use_case__title")
    raw_id_fields = ("use_case", "paired_with")


@admin.register(MetricReading)
class MetricReadingAdmin(PortfolioAdmin):
    list_display = ("metric", "use_case", "value", "measured_at", "recorded_by")
    list_filter = ("metric__use_case__department", "metric__kind")
    list_select_related = ("metric__use_case", "recorded_by")
    search_fields = ("metric__name", "metric__use_case__title")
    date_hierarchy = "measured_at"
    raw_id_fields = ("metric", "recorded_by")

    @admin.display(description="Use case", ordering="metric__use_case__title")
    def use_case(self, obj):
        return obj.metric.use_case


@admin.register(DataGap)
class DataGapAdmin(PortfolioAdmin):
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


@admin.register(Artifact)
class ArtifactAdmin(PortfolioAdmin):
    list_display = ("use_case", "kind", "status", "updated_at", "updated_by")
    list_filter = ("kind", "status", "use_case__department")
    list_select_related = ("use_case", "updated_by")
    search_fields = ("use_case__title", "content")
    raw_id_fields = ("use_case", "updated_by")


@admin.register(Notification)
class NotificationAdmin(PortfolioAdmin):
    list_display = ("subject", "recipient", "kind", "use_case", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("recipient", "use_case")
    search_fields = ("subject", "recipient__username")
    raw_id_fields = ("recipient", "use_case")


@admin.register(TransitionRecord)
class TransitionRecordAdmin(PortfolioAdmin):
    """The append-only record: listed and exported, never added, changed or deleted."""

    list_display = ("at", "use_case", "transition", "from_state", "to_state", "actor", "reason")
    list_filter = ("transition", "to_state", "use_case__department")
    list_select_related = ("use_case", "actor")
    search_fields = ("use_case__title", "reason")
    date_hierarchy = "at"
    actions = ["export_csv"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
