"""The use case admin: filters, inlines, and the lifecycle as actions calling the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import (
    READERS,
    FlywheelAdmin,
    ReadOnlyInline,
    choices_filter,
)
from core.admin_services import ServiceWriteMixin
from core.errors import ApplicationError
from portfolio import services
from portfolio.admin.custom_fields import CustomAnswersAdminMixin
from portfolio.admin.filters import (
    FlagListFilter,
    KilledInStageFilter,
    PastTimeBoxFilter,
    ReachedStageFilter,
)
from portfolio.admin.lessons import StopActions
from portfolio.choices import Playbook, RiskTier
from portfolio.display import figure, money
from portfolio.intake import GAP_FIELDS, METRIC_FIELDS, SECTIONS, section_fields
from portfolio.models import (
    DataGap,
    Metric,
    TransitionRecord,
    UseCase,
)


class MetricInline(ReadOnlyInline):
    """Shown, never written here: a metric changes on its own page, through the service."""

    model = Metric
    fk_name = "use_case"
    fields = (*METRIC_FIELDS, "retired_at")
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return READERS(request.user)


class DataGapInline(MetricInline):
    model = DataGap
    fields = GAP_FIELDS


class TransitionInline(ReadOnlyInline):
    model = TransitionRecord
    fields = ("at", "transition", "from_state", "to_state", "actor", "reason")

    def has_view_permission(self, request, obj=None):
        return READERS(request.user)


MONEY_FIELDS = (
    "build_cost",
    "run_cost_yearly",
    "expected_benefit_yearly",
    "realised_benefit_yearly",
)


def money_column(field: str, description):
    """An amount as the pages show it ("EUR 100,000"), sorted by the field; the CSV export
    keeps the number itself (``csv_field``)."""

    @admin.display(description=description, ordering=field)
    def column(self, obj):
        return money(getattr(obj, field))

    column.csv_field = field
    return column


# What the admin shows beside the intake list's fields (portfolio.intake), by section: the
# lifecycle's stamps, the figures, the sign-offs, the derived playbook and risk tier.
SHOWN_BESIDE = {
    "what": ("department",),
    "lifecycle": (
        "state",
        "state_before_hold",
        "submitted_at",
        "state_changed_at",
        "metrics_locked_at",
    ),
    "money": ("expected_roi", "payback_months"),
    "sponsor": ("sponsor_signed_off_at", "operator_signed_off_at"),
    "playbook": ("playbook_label",),
    "risk": ("risk_label",),
}


def admin_fieldsets() -> tuple:
    """The change form's fieldsets: every intake field in its section, what is shown beside
    it, then the record."""
    return (
        *(
            (section.legend, {"fields": (*section_fields(section.key), *beside)})
            for section in SECTIONS
            for beside in [SHOWN_BESIDE.get(section.key, ())]
        ),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )


@admin.register(UseCase)
class UseCaseAdmin(StopActions, CustomAnswersAdminMixin, ServiceWriteMixin, FlywheelAdmin):
    """Every write calls the intake services (portfolio.services.intake), as the API does."""

    # Money right after the state: at 1440 px beside the admin's sidebars the list scrolls
    # sideways after about seven columns, and the money is what executives come for.
    list_display = (
        "title",
        "department",
        "state",
        "build_cost_shown",
        "expected_benefit_yearly_shown",
        "realised_benefit_yearly_shown",
        "expected_roi",
        "playbook_label",
        "risk_label",
        "origin_label",
        "submitted_at",
        "overview",
    )
    list_filter = (
        "department",
        "state",
        choices_filter("playbook", Playbook.choices, _("playbook")),
        choices_filter("risk_tier", RiskTier.choices, _("risk tier")),
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
        *(f"{name}_shown" for name in MONEY_FIELDS),
    )
    fieldsets = admin_fieldsets()
    inlines = (MetricInline, DataGapInline, TransitionInline)
    actions = ["export_csv", "submit", "hold", "resume", "kill", "retire"]

    build_cost_shown = money_column("build_cost", _("Build cost"))
    run_cost_yearly_shown = money_column("run_cost_yearly", _("Run cost / yr"))
    expected_benefit_yearly_shown = money_column("expected_benefit_yearly", _("Expected / yr"))
    realised_benefit_yearly_shown = money_column("realised_benefit_yearly", _("Realised / yr"))

    def get_fieldsets(self, request, obj=None):
        """Those who only read see the amounts formatted; an administrator edits the numbers."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        shown = {name: f"{name}_shown" for name in MONEY_FIELDS}
        return [
            (title, {**options, "fields": tuple(shown.get(f, f) for f in options["fields"])})
            for title, options in fieldsets
        ]

    @admin.display(description=_("Playbook"), ordering="playbook")
    def playbook_label(self, obj):
        return Playbook(obj.playbook).label if obj.playbook else ""

    @admin.display(description=_("Risk tier"), ordering="risk_tier")
    def risk_label(self, obj):
        return RiskTier(obj.risk_tier).label if obj.risk_tier else ""

    @admin.display(description=_("Origin"), ordering="origin")
    def origin_label(self, obj):
        return obj.get_origin_display().split(" (")[0]

    @admin.display(description=_("Expected ROI"))
    def expected_roi(self, obj):
        return figure(obj.expected_roi, 1)

    @admin.display(description=_("Payback (months)"))
    def payback_months(self, obj):
        return figure(obj.payback_months)  # two places, as the use case page shows it

    @admin.display(description=_("Overview"))
    def overview(self, obj):
        try:
            url = reverse("flywheel-admin:use-case", args=[obj.pk])
        except NoReverseMatch:
            return ""
        return format_html('<a href="{}">{}</a>', url, _("timeline, gates, votes"))

    def csv_fields(self, request):
        return [name for name in super().csv_fields(request) if name != "overview"]

    def get_readonly_fields(self, request, obj=None):
        # The department is chosen once, at creation.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "department") if obj is not None else fields

    def service_create(self, request, data):
        custom = self.split_custom(data)
        return services.use_case_intake_save(
            actor=request.user, department=data.pop("department"), custom=custom, intake=data
        )

    def service_update(self, request, obj, changes):
        custom = self.split_custom(changes)
        return services.use_case_intake_save(
            actor=request.user, use_case=obj, custom=custom, intake=changes
        )

    # --- lifecycle actions: each calls the service, which checks state and permission ---

    def _run(self, request, queryset, said: tuple[str, str], call) -> None:
        """Run ``call`` on each selected use case; ``said`` is the message for those done
        (with ``%(count)s``) and the one for each refused (with ``%(line)s``)."""
        done, refused = 0, []
        for use_case in queryset:
            try:
                call(use_case)
                done += 1
            except (ApplicationError, PermissionDenied) as exc:
                reason = getattr(exc, "message", exc) or _("not allowed")
                refused.append(f"{use_case}: {reason}")
            except ValidationError as exc:
                problems = "; ".join(
                    f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
                )
                refused.append(f"{use_case}: {problems}")
        if done:
            self.message_user(
                request,
                said[0] % {"count": done},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(
                request,
                said[1] % {"line": line},
                messages.ERROR,
            )

    @admin.action(description=_("Submit selected drafts"), permissions=["change"])
    def submit(self, request, queryset):
        self._run(
            request,
            queryset,
            (_("Submitted: %(count)s use case(s)."), _("Not submitted: %(line)s")),
            lambda uc: services.use_case_submit(use_case=uc, actor=request.user),
        )

    @admin.action(description=_("Put selected on hold"), permissions=["change"])
    def hold(self, request, queryset):
        self._run(
            request,
            queryset,
            (_("Held: %(count)s use case(s)."), _("Not held: %(line)s")),
            lambda uc: services.use_case_hold(use_case=uc, actor=request.user, reason="admin"),
        )

    @admin.action(
        description=_("Resume selected (back to the stage they left)"), permissions=["change"]
    )
    def resume(self, request, queryset):
        self._run(
            request,
            queryset,
            (_("Resumed: %(count)s use case(s)."), _("Not resumed: %(line)s")),
            lambda uc: services.use_case_resume(use_case=uc, actor=request.user),
        )


# --- the rest of the portfolio ----------------------------------------------------------
