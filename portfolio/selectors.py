"""Reads of the portfolio app: querysets scoped by role, annotated, with related rows loaded."""

from django.db.models import Prefetch, Q, QuerySet

from core.roles import RoleRows, roles_of
from portfolio.choices import DepartmentRole, State
from portfolio.intake import REQUIRED_FIELDS
from portfolio.models import (
    Membership,
    Metric,
    MetricReading,
    Notification,
    OrganisationRole,
    TransitionRecord,
    UseCase,
)


def _department_roles_read(memberships: list[tuple[str, int]]) -> dict:
    return {
        "heads": frozenset(d for role, d in memberships if role == DepartmentRole.HEAD),
        "member_of": frozenset(d for _, d in memberships),
    }


# The departments a person heads and belongs to: a core.roles source read in the same query
# as the person's groups.
department_roles = RoleRows(
    rows=lambda user: Membership.objects.filter(user=user.pk),
    text="role",
    number="department_id",
    read=_department_roles_read,
)

# The roles of the organisation a person holds through their groups (a DPO signs sign-offs
# and reads the submitted portfolio).
organisation_roles = RoleRows(
    rows=lambda user: OrganisationRole.objects.filter(group__user=user.pk),
    text="key",
    number="id",
    read=lambda pairs: {"organisation_roles": frozenset(number for _, number in pairs)},
)


def sees_everything(user) -> bool:
    """Administrators and executives read the whole portfolio: no visibility filter at all."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_executive


def use_case_visible_to(*, user, queryset: QuerySet | None = None) -> QuerySet:
    """The use cases this person may see.

    Administrators and executives see everything; a department's people see all of their
    department's use cases; anyone with a role sees every other department's use cases once
    submitted (read-only). Another department's drafts are never visible.
    """
    queryset = UseCase.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    roles = roles_of(user)
    if not roles.is_authenticated:
        return queryset.none()
    visible = Q(department_id__in=roles.member_of)
    if roles.reads_published:
        visible |= ~Q(state=State.DRAFT)
    return queryset.filter(visible)


def use_case_list(*, user) -> QuerySet:
    """Visible use cases with what a list shows, in a fixed number of queries."""
    return use_case_visible_to(user=user).select_related(
        "department", "outcome_owner", "sponsor", "template"
    )


def use_case_detail(*, user, pk: int) -> UseCase:
    """One visible use case with its intake rows loaded; DoesNotExist when not visible."""
    return (
        use_case_visible_to(user=user)
        .select_related("department", "outcome_owner", "sponsor", "operator_lead", "template")
        .prefetch_related("metrics", "data_gaps", "artifacts")
        .get(pk=pk)
    )


def intake_snapshot(*, use_case_id: int) -> tuple[dict, list[dict]]:
    """The values intake completeness is judged on, in two queries."""
    field_names = [
        f"{name}_id" if name in {"department", "outcome_owner", "sponsor"} else name
        for name in REQUIRED_FIELDS
    ]
    row = UseCase.objects.filter(pk=use_case_id).values(*field_names).get()
    fields = {name.removesuffix("_id"): value for name, value in row.items()}
    metrics = list(
        Metric.objects.filter(use_case_id=use_case_id).values(
            "id", "kind", "name", "baseline", "target", "paired_with_id"
        )
    )
    return fields, metrics


def transition_history(*, use_case_id: int) -> QuerySet:
    """The append-only record of one use case, oldest first, with the actors."""
    return TransitionRecord.objects.filter(use_case_id=use_case_id).select_related("actor")


def notification_inbox(*, user) -> QuerySet:
    return Notification.objects.filter(recipient=user).select_related("use_case")


def metrics_with_readings(*, use_case_id: int, recent: int) -> list[Metric]:
    """A use case's metrics, each with its current readings (``readings_so_far``, oldest
    first) and the last ``recent`` of them (``recent_readings``): 2 queries."""
    metrics = list(
        Metric.objects.filter(use_case_id=use_case_id).prefetch_related(
            Prefetch("readings", MetricReading.objects.current(), to_attr="readings_so_far")
        )
    )
    for metric in metrics:
        metric.recent_readings = metric.readings_so_far[-recent:]
    return metrics
