"""The governance admin: boards and their seats; the audit record (votes, decisions,
recusals, delegations, re-baselinings) read-only: no add, change or delete."""

from django.contrib import admin

from core.admin import FlywheelAdmin, ReadOnlyAdmin, executives_read
from core.bounds import BoundedModelForm
from governance.models import (
    Board,
    BoardMember,
    Condition,
    Decision,
    Delegation,
    RebaselineDecision,
    RebaselineRequest,
    Recusal,
    Vote,
)

executives_read("governance")


class BoardMemberInline(admin.TabularInline):
    model = BoardMember
    form = BoundedModelForm
    extra = 0
    fields = ("user", "is_voting", "is_chair", "active")
    raw_id_fields = ("user",)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate a seat instead: its votes stay on the record


@admin.register(Board)
class BoardAdmin(FlywheelAdmin):
    list_display = ("name", "covers_all", "quorum_minimum", "active")
    list_filter = ("active", "covers_all")
    filter_horizontal = ("departments",)
    inlines = [BoardMemberInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("review", "member", "cast_by", "choice", "comment", "at", "delegation")
    list_filter = ("choice", "review__gate")
    list_select_related = ("review__use_case", "member__user", "member__board", "cast_by")
    search_fields = ("review__use_case__title", "member__user__username", "comment")
    date_hierarchy = "at"


class ConditionInline(admin.TabularInline):
    model = Condition
    extra = 0
    fields = ("text", "due_date", "status", "resolved_at", "resolved_by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = (
        "review",
        "verdict",
        "recommendation",
        "is_override",
        "votes_for_verdict",
        "votes_cast",
        "electorate",
        "decided_by",
        "decided_at",
        "latency_hours",
    )
    list_filter = ("verdict", "is_override", "review__gate", "review__use_case__department")
    list_select_related = ("review__use_case", "decided_by")
    search_fields = ("review__use_case__title", "rationale")
    date_hierarchy = "decided_at"
    inlines = [ConditionInline]


@admin.register(Condition)
class ConditionAdmin(ReadOnlyAdmin):
    list_display = ("text", "decision", "due_date", "status", "resolved_at")
    list_filter = ("status",)
    list_select_related = ("decision__review__use_case",)
    date_hierarchy = "due_date"


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ("review", "member", "reason", "automatic", "at")
    list_filter = ("automatic",)
    list_select_related = ("review__use_case", "member__user", "member__board")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ("delegator", "delegate", "starts_at", "ends_at", "reason", "created_at")
    list_select_related = ("delegator__user", "delegator__board", "delegate__user")


@admin.register(RebaselineRequest)
class RebaselineRequestAdmin(ReadOnlyAdmin):
    list_display = (
        "metric",
        "old_baseline",
        "new_baseline",
        "old_target",
        "new_target",
        "requested_by",
        "requested_at",
    )
    list_select_related = ("metric", "requested_by")


@admin.register(RebaselineDecision)
class RebaselineDecisionAdmin(ReadOnlyAdmin):
    list_display = ("request", "outcome", "decided_by", "decided_at", "comment")
    list_filter = ("outcome",)
    list_select_related = ("request__metric", "decided_by")
