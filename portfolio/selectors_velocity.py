"""Velocity reads for pages and the API: the stored durations in sequence, the trends, one
use case's durations (each a fixed number of queries, whatever the portfolio size)."""

from django.db.models import QuerySet

from portfolio.models import (
    VelocitySnapshot,
)
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope


def velocity_sequence(*, department_id: int | None = None, measure: str = "to_scale") -> QuerySet:
    """Each use case's duration in submission order with its faster/slower label (1 query).

    ``department_id=None`` gives the portfolio-wide sequence.
    """
    scope = PORTFOLIO_SCOPE if department_id is None else department_scope(department_id)
    return (
        VelocitySnapshot.objects.filter(
            scope=scope, period="", measure=measure, use_case__isnull=False
        )
        .select_related("use_case", "previous_use_case")
        .order_by("position")
    )


def velocity_trends(*, department_id: int | None = None, all_scopes: bool = False) -> QuerySet:
    """The trend rows (status, Theil-Sen slope, share faster, streak) per measure (1 query)."""
    rows = VelocitySnapshot.objects.filter(use_case__isnull=True, measure__startswith="trend:")
    if not all_scopes:
        scope = PORTFOLIO_SCOPE if department_id is None else department_scope(department_id)
        rows = rows.filter(scope=scope)
    return rows.select_related("department").order_by("scope", "measure")


def department_velocity(*, department_id: int | None, measure: str = "to_scale") -> dict:
    """One department's (or the portfolio's) velocity for a dashboard, in two queries."""
    trends = {
        row.measure.removeprefix("trend:"): row
        for row in velocity_trends(department_id=department_id)
    }
    return {
        "trend": trends.get(measure),
        "trends": trends,
        "sequence": list(velocity_sequence(department_id=department_id, measure=measure)),
    }


def use_case_durations(*, use_case_id: int) -> dict[str, VelocitySnapshot]:
    """One use case's stored durations, by measure, within its department (1 query)."""
    rows = VelocitySnapshot.objects.filter(
        use_case_id=use_case_id, scope__startswith="department:", period=""
    ).select_related("previous_use_case")
    return {row.measure: row for row in rows}
