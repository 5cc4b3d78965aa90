"""Read-only velocity figures that need gate reviews: decision latency (per review, median per
month), open reviews past the decision target, pilots in purgatory, kill rate per gate.

Every function is a fixed number of queries; medians are taken in Python over one result set
because SQLite has no median aggregate.
"""

from datetime import datetime, timedelta
from statistics import median

from django.conf import settings
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from gates.choices import GATE_FOR_STATE, ReviewStatus
from gates.models import GateReview
from portfolio.choices import State, Transition
from portfolio.models import TransitionRecord, UseCase
from portfolio.selectors_hygiene import pilots_past_time_box

# The stage a gate judges: a use case killed in that stage was stopped at that gate.
STAGE_OF_GATE = {gate: stage for stage, gate in GATE_FOR_STATE.items()}
HOURS = 3600


def decided_reviews(*, department_id: int | None = None) -> QuerySet:
    """Decided reviews with their use case and department (1 query when iterated)."""
    reviews = GateReview.objects.filter(status=ReviewStatus.DECIDED, decided_at__isnull=False)
    if department_id is not None:
        reviews = reviews.filter(use_case__department_id=department_id)
    return reviews.select_related("use_case", "use_case__department").order_by("decided_at")


def review_latency_hours(review: GateReview) -> float | None:
    """Requested to decided, in hours (None while open)."""
    if review.decided_at is None:
        return None
    return (review.decided_at - review.requested_at).total_seconds() / HOURS


def decision_latency_by_month(*, department_id: int | None = None) -> list[dict]:
    """Per month of decision: reviews decided, median and worst latency in hours, and how
    many met the decision target (1 query)."""
    target = settings.FLYWHEEL_DECISION_TARGET_HOURS
    reviews = GateReview.objects.filter(status=ReviewStatus.DECIDED, decided_at__isnull=False)
    if department_id is not None:
        reviews = reviews.filter(use_case__department_id=department_id)
    by_month: dict[str, list[float]] = {}
    for month, requested_at, decided_at in (
        reviews.annotate(month=TruncMonth("decided_at"))
        .values_list("month", "requested_at", "decided_at")
        .order_by("month", "decided_at")
    ):
        hours = (decided_at - requested_at).total_seconds() / HOURS
        by_month.setdefault(month.strftime("%Y-%m"), []).append(hours)
    return [
        {
            "month": month,
            "reviews": len(hours),
            "median_hours": round(median(hours), 2),
            "max_hours": round(max(hours), 2),
            "within_target": sum(1 for h in hours if h <= target),
        }
        for month, hours in by_month.items()
    ]


def reviews_overdue(*, at: datetime | None = None) -> QuerySet:
    """Open reviews requested longer ago than the decision target (48 hours by default)."""
    at = at or timezone.now()
    cutoff = at - timedelta(hours=settings.FLYWHEEL_DECISION_TARGET_HOURS)
    return (
        GateReview.objects.filter(status=ReviewStatus.OPEN, requested_at__lt=cutoff)
        .select_related("use_case")
        .order_by("requested_at")
    )


def pilots_in_purgatory(*, at: datetime | None = None):
    """Use cases in pilot past their time box with no review open (1 query)."""
    return pilots_past_time_box(
        at=at, among=UseCase.objects.exclude(gate_reviews__status=ReviewStatus.OPEN)
    )


def kill_rate_per_gate(*, department_id: int | None = None) -> list[dict]:
    """Per gate: use cases that reached the stage it judges, how many were killed there, and
    the rate (2 queries). A kill while on hold counts at the stage the hold was taken from."""
    records = TransitionRecord.objects.all()
    if department_id is not None:
        records = records.filter(use_case__department_id=department_id)
    reached = dict(
        records.filter(to_state__in=list(GATE_FOR_STATE))
        .exclude(transition=Transition.RESUME)
        .values("to_state")
        .annotate(n=Count("use_case_id", distinct=True))
        .values_list("to_state", "n")
    )
    killed: dict[str, int] = {}
    for from_state, held_from in records.filter(transition=Transition.KILL).values_list(
        "from_state", F("use_case__state_before_hold")
    ):
        stage = held_from if from_state == State.ON_HOLD else from_state
        killed[stage] = killed.get(stage, 0) + 1
    rows = []
    for gate, stage in sorted(STAGE_OF_GATE.items()):
        total = reached.get(stage, 0)
        stopped = killed.get(stage, 0)
        rows.append(
            {
                "gate": gate,
                "stage": stage,
                "reached": total,
                "killed": stopped,
                "rate": stopped / total if total else None,
            }
        )
    return rows
