"""The gates admin: criteria sets with their versions visible, reviews with their scorecard.

Criteria are written only through the services the API calls: adding a set is
gates.services.criteria_set_create, and saving a change to the current version (its pass
mark, name, notes or criteria) makes the next version through criteria_set_revise, exactly
as POST /api/criteria-sets/{id}/revise/ does; nothing is edited in place. A version that
is not current, or that a review has been judged by, is read-only. "Revise" copies a
version as the next one; past reviews keep theirs.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import FlywheelAdmin, ReadOnlyInline, executives_read
from core.bounds import BoundedModelForm
from core.errors import ApplicationError
from core.roles import roles_of
from gates import selectors, services
from gates.choices import Recommendation, ReviewStatus
from gates.models import CRITERION_FIELDS, CriteriaSet, Criterion, EvidenceSnapshot, GateReview

executives_read("gates")

OUTCOME_MARK = {"pass": "✔ pass", "fail": "✘ fail", "no_data": "? no data"}


def _used(criteria_set: CriteriaSet | None) -> bool:
    return criteria_set is not None and criteria_set.reviews.exists()


def _criteria_of(formset) -> list[dict]:
    """The criteria as the inline's forms hold them (in position order, deleted ones out)."""
    kept = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda data: data.get("position") or 0)
    return [{name: data.get(name) for name in CRITERION_FIELDS} for data in kept]


class CriteriaFormSet(BaseInlineFormSet):
    """Checks the criteria with the service's own rules before anything is saved."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            services.criteria_check(criteria=_criteria_of(self))
        except ValidationError as exc:
            raise ValidationError(
                [f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items()]
            ) from exc


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriteriaFormSet
    form = BoundedModelForm
    extra = 0
    fields = ("position", *CRITERION_FIELDS)

    def _editable(self, request, obj) -> bool:
        return (
            roles_of(request.user).is_admin and not _used(obj) and (obj is None or obj.is_current)
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(CriteriaSet)
class CriteriaSetAdmin(FlywheelAdmin):
    """Every version listed; editing a used version is refused: revise it instead."""

    list_display = (
        "__str__",
        "gate",
        "playbook",
        "version",
        "is_current",
        "pass_mark",
        "criteria_count",
        "reviews_judged",
        "supersedes",
        "created_at",
    )
    list_filter = ("gate", "playbook", "is_current")
    readonly_fields = ("version", "is_current", "supersedes", "created_by", "created_at")
    fields = ("gate", "playbook", "name", "pass_mark", "notes", *readonly_fields)
    inlines = [CriterionInline]
    actions = ["revise", "export_csv"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("supersedes")
            .annotate(criteria_total=Count("criteria", distinct=True))
            .annotate(reviews_total=Count("reviews", distinct=True))
        )

    @admin.display(description=gettext_lazy("criteria"))
    def criteria_count(self, obj):
        return obj.criteria_total

    @admin.display(description=gettext_lazy("reviews judged by it"))
    def reviews_judged(self, obj):
        return obj.reviews_total

    def has_change_permission(self, request, obj=None):
        if obj is not None and (_used(obj) or not obj.is_current):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A revision stays on its gate and playbook; another gate is another set.
        return self.readonly_fields + (("gate", "playbook") if obj is not None else ())

    def save_model(self, request, obj, form, change):
        """Nothing is written here: save_related writes the set and its criteria together
        through the service, once the inline criteria are known."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        criteria = next(
            (_criteria_of(fs) for fs in formsets if isinstance(fs, CriteriaFormSet)), None
        )
        if change:
            # The next version (criteria_set_revise); the edited one stays as it was.
            original = CriteriaSet.objects.get(pk=obj.pk)
            saved = services.criteria_set_revise(
                criteria_set=original,
                actor=request.user,
                criteria=criteria,
                pass_mark=obj.pass_mark,
                name=obj.name,
                notes=obj.notes or "Revised in the admin.",
            )
        else:
            saved = services.criteria_set_create(
                gate=obj.gate,
                playbook=obj.playbook,
                criteria=criteria or [],
                pass_mark=obj.pass_mark,
                name=obj.name,
                notes=obj.notes,
                actor=request.user,
            )
        for formset in formsets:  # written by the service; the admin's change message reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        # The admin's redirect and log name the version the service wrote.
        obj.pk, obj.version, obj.supersedes = saved.pk, saved.version, saved.supersedes
        obj.is_current, obj.created_at, obj.created_by = True, saved.created_at, request.user
        obj._state.adding = False

    @admin.action(description=gettext_lazy("Revise: make the next version (copying the criteria)"))
    def revise(self, request, queryset):
        if not roles_of(request.user).is_admin:
            self.message_user(request, _("Only administrators revise criteria."), messages.ERROR)
            return
        for criteria_set in queryset:
            revised = services.criteria_set_revise(
                criteria_set=criteria_set, actor=request.user, notes="Revised in the admin."
            )
            self.message_user(
                request,
                _("Created %(revised)s; edit it before a review uses it.") % {"revised": revised},
            )


def scorecard_table(snapshot: EvidenceSnapshot | None):
    """The frozen scorecard as an HTML table: value against threshold, outcome, weight."""
    if snapshot is None:
        return "No evaluation yet."
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{} {}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "</tr>",
        (
            (
                row["label"],
                "—" if row["value"] is None else row["value"],
                row["comparator"].replace("_", " "),
                row["threshold"],
                f" and {row['threshold_high']}" if row.get("threshold_high") is not None else "",
                "must" if row["must_meet"] else "should",
                row["weight"] if not row["must_meet"] else "",
                OUTCOME_MARK.get(row["outcome"], row["outcome"]),
                "" if row["contribution"] is None else f"{row['contribution']:.1f}",
            )
            for row in snapshot.rows
        ),
    )
    return format_html(
        "<p><strong>{}</strong> · score {}% (pass mark {}%) · {} · criteria v{}</p>"
        '<table class="scorecard"><thead><tr><th>criterion</th><th>value</th><th>threshold</th>'
        "<th>kind</th><th>weight</th><th>outcome</th><th>contribution</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        snapshot.get_recommendation_display(),
        snapshot.score,
        snapshot.pass_mark,
        snapshot.taken_at.strftime("%Y-%m-%d %H:%M"),
        snapshot.criteria_set.version,
        rows,
    )


class SnapshotInline(ReadOnlyInline):
    model = EvidenceSnapshot
    fields = ("taken_at", "taken_by", "recommendation", "score", "pass_mark", "criteria_set")
    ordering = ("-taken_at", "-id")

    def has_view_permission(self, request, obj=None):
        return True


class WaitingFilter(admin.SimpleListFilter):
    """Open reviews waiting longer than a number of hours (a board's decision target: the
    dashboard's cost-of-delay figures link here with their board's target)."""

    title = gettext_lazy("waiting")
    parameter_name = "waiting_over_hours"

    def lookups(self, request, model_admin):
        value = self.value()
        choices = [("48", "Over 48 hours"), ("96", "Over 96 hours")]
        if value and value not in dict(choices) and value.isdigit():
            choices.append((value, f"Over {value} hours"))
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit() or not 0 < int(value) <= 24 * 366:
            raise IncorrectLookupParameters("waiting_over_hours: hours from 1 to 8784.")
        cutoff = timezone.now() - timedelta(hours=int(value))
        return queryset.filter(status=ReviewStatus.OPEN, requested_at__lt=cutoff)


@admin.register(GateReview)
class GateReviewAdmin(FlywheelAdmin):
    """Reviews are opened and closed through the services; here they are read."""

    list_display = (
        "use_case",
        "gate",
        "purpose",
        "status",
        "requested_by",
        "requested_at",
        "decided_at",
        "recommendation",
    )
    list_filter = ("gate", "purpose", "status", WaitingFilter, "use_case__department")
    list_select_related = ("use_case", "requested_by")
    search_fields = ("use_case__title",)
    date_hierarchy = "requested_at"
    fields = (
        "use_case",
        "gate",
        "purpose",
        "status",
        "criteria_set",
        "requested_by",
        "reason",
        "requested_at",
        "decided_at",
        "scorecard",
    )
    readonly_fields = fields
    inlines = [SnapshotInline]
    actions = ["re_evaluate", "export_csv"]

    def get_queryset(self, request):
        latest = EvidenceSnapshot.objects.filter(review=OuterRef("pk")).order_by("-taken_at", "-id")
        return (
            super()
            .get_queryset(request)
            .annotate(latest_recommendation=Subquery(latest.values("recommendation")[:1]))
        )

    @admin.display(description=gettext_lazy("latest recommendation"))
    def recommendation(self, obj):
        value = getattr(obj, "latest_recommendation", None)
        return Recommendation(value).label if value else "—"

    @admin.display(description=gettext_lazy("scorecard (latest evaluation)"))
    def scorecard(self, obj):
        return scorecard_table(selectors.snapshot_latest(review=obj))

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Re-evaluate against the latest evidence"), permissions=["view"]
    )
    def re_evaluate(self, request, queryset):
        for review in queryset:
            try:
                services.review_evaluate(review=review, actor=request.user)
            except (ApplicationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    _("%(review)s: %(reason)s") % {"review": review, "reason": exc},
                    messages.ERROR,
                )
