"""The governance admin: boards and their seats; the audit record (votes, decisions,
recusals, delegations, re-baselinings) read-only: no add, change or delete."""

from django.contrib import admin

from core.admin import FlywheelAdmin, ReadOnlyAdmin, ReadOnlyInline, executives_read
from core.admin_services import ServiceWriteMixin
from governance import services
from governance.models import (
    Board,
    BoardFlag,
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


class BoardMemberInline(ReadOnlyInline):
    """Read here; seats are given and withdrawn in the board seat admin, through the
    services."""

    model = BoardMember
    fields = ("user", "is_voting", "is_chair", "active")


@admin.register(Board)
class BoardAdmin(ServiceWriteMixin, FlywheelAdmin):
    """Written through governance.services (board_create, board_update); a board with
    decisions on the record is deactivated, never deleted."""

    list_display = (
        "name",
        "covers_all",
        "quorum_minimum",
        "decision_target_hours",
        "decision_objective",
        "active",
    )
    list_filter = ("active", "covers_all")
    filter_horizontal = ("departments",)
    inlines = [BoardMemberInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, data):
        return services.board_create(
            name=data.pop("name"),
            departments=data.pop("departments", ()),
            **{k: v for k, v in data.items() if k != "active"},
        )

    def service_update(self, request, obj, changes):
        return services.board_update(board=obj, **changes)

    def save_related(self, request, form, formsets, change):
        """The service set the departments already; nothing is written past it (the seats
        inline is read-only)."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(BoardMember)
class BoardMemberAdmin(ServiceWriteMixin, FlywheelAdmin):
    """Seats through governance.services: given (or changed) by board_member_add, withdrawn
    by board_member_remove (unticking "active"). A seat's person and board never change, so
    that the votes cast from it stay theirs; seats are never deleted."""

    list_display = ("user", "board", "is_voting", "is_chair", "active", "joined_at")
    list_filter = ("board", "is_chair", "is_voting", "active")
    list_select_related = ("user", "board")
    search_fields = ("user__username", "board__name")
    raw_id_fields = ("user",)
    fields = ("board", "user", "is_voting", "is_chair", "active")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("board", "user") if obj is not None else ("active",)

    def service_create(self, request, data):
        return services.board_member_add(
            board=data["board"],
            user=data["user"],
            is_voting=data.get("is_voting", True),
            is_chair=data.get("is_chair", False),
        )

    def service_update(self, request, obj, changes):
        if changes.get("active", obj.active) is False:
            return services.board_member_remove(seat=obj)
        return services.board_member_add(
            board=obj.board,
            user=obj.user,
            is_voting=changes.get("is_voting", obj.is_voting),
            is_chair=changes.get("is_chair", obj.is_chair),
        )


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ("review", "member", "cast_by", "choice", "comment", "at", "delegation")
    list_filter = ("choice", "review__gate")
    list_select_related = ("review__use_case", "member__user", "member__board", "cast_by")
    search_fields = ("review__use_case__title", "member__user__username", "comment")
    date_hierarchy = "at"


class ConditionInline(ReadOnlyInline):
    model = Condition
    fields = ("text", "due_date", "status", "resolved_at", "resolved_by", "note")


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
    """Read-only: a request is made through the API or the use case page, and only the
    board's chair decides it there (the decision applies it through the metric services)."""

    list_display = (
        "kind",
        "use_case",
        "metric",
        "new_name",
        "old_baseline",
        "new_baseline",
        "old_target",
        "new_target",
        "requested_by",
        "requested_at",
    )
    list_filter = ("kind",)
    list_select_related = ("use_case", "metric", "requested_by")


@admin.register(RebaselineDecision)
class RebaselineDecisionAdmin(ReadOnlyAdmin):
    list_display = ("request", "outcome", "decided_by", "decided_at", "comment", "created_metric")
    list_filter = ("outcome",)
    list_select_related = ("request__metric", "request__use_case", "decided_by", "created_metric")


@admin.register(BoardFlag)
class BoardFlagAdmin(ReadOnlyAdmin):
    """A board's objective flags, raised and cleared by the refresh; history kept."""

    list_display = ("raised_at", "board", "kind", "reason", "cleared_at")
    list_filter = ("kind", "board")
    list_select_related = ("board",)
