"""Reads for the cost of delay and each board's decision objective (governance.looks_ahead
holds the rules). A fixed number of queries each, whatever the portfolio size: totals are
summed in SQL, the board of each department is resolved once from the (few) boards."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from gates.choices import ReviewStatus
from gates.models import GateReview
from gates.review_figures import pilots_in_purgatory
from governance.looks_ahead import (
    Objective,
    ReviewTimes,
    escalated,
    objective_figures,
    review_delay,
)
from governance.models import Board
from portfolio.models import Department
from portfolio.selectors_hygiene import DaysBetween

CENT = Decimal("0.01")
DEFAULT_TARGET_HOURS = 48


def boards_by_department() -> tuple[dict[int, Board], list[Board]]:
    """Each department's deciding board (its own active board, else the whole-portfolio
    board, as governance.selectors.board_for_department), and the active boards (2 queries)."""
    boards = list(
        Board.objects.filter(active=True)
        .select_related("fallback_member__user", "fallback_executive")
        .prefetch_related("departments")
        .order_by("pk")
    )
    deciding: dict[int, Board] = {}
    for board in boards:
        if not board.covers_all:
            for department in board.departments.all():
                deciding.setdefault(department.pk, board)
    everyone = next((b for b in boards if b.covers_all), None)
    if everyone is not None:
        for pk in Department.objects.values_list("pk", flat=True):
            deciding.setdefault(pk, everyone)
    return deciding, boards


def _target_days(deciding: dict[int, Board]):
    """SQL: the decision target in days of each review's deciding board."""
    by_target: dict[int, list[int]] = {}
    for department_id, board in deciding.items():
        by_target.setdefault(board.decision_target_hours, []).append(department_id)
    return Case(
        *[
            When(use_case__department_id__in=ids, then=Value(hours / 24))
            for hours, ids in sorted(by_target.items())
        ],
        default=Value(DEFAULT_TARGET_HOURS / 24),
        output_field=FloatField(),
    )


def review_queue_costs(reviews: list[GateReview], *, at: datetime | None = None) -> list:
    """Open reviews (their use case loaded) with value per day, waiting and overdue cost,
    sorted by value per day (highest first; no estimate last), then the longest waiting
    (2 queries for the boards)."""
    at = at or timezone.now()
    deciding, _ = boards_by_department()
    for review in reviews:
        board = deciding.get(review.use_case.department_id)
        target = board.decision_target_hours if board else DEFAULT_TARGET_HOURS
        review.board = board
        review.target_hours = target
        review.delay = review_delay(
            benefit=review.use_case.expected_benefit_yearly,
            requested_at=review.requested_at,
            target_hours=target,
            at=at,
        )
        review.escalated = escalated(requested_at=review.requested_at, target_hours=target, at=at)
    return sorted(
        reviews,
        key=lambda r: (
            r.delay.value_per_day is None,
            -(r.delay.value_per_day or 0),
            r.requested_at,
            r.pk,
        ),
    )


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def overdue_reviews(*, at: datetime | None = None, deciding=None) -> QuerySet:
    """Open reviews past their board's decision target, with ``days_overdue`` (lazy)."""
    at = at or timezone.now()
    if deciding is None:
        deciding, _ = boards_by_department()
    return (
        GateReview.objects.filter(status=ReviewStatus.OPEN)
        .annotate(days_overdue=DaysBetween(F("requested_at"), Value(at)) - _target_days(deciding))
        .filter(days_overdue__gt=0)
    )


def delay_totals(*, at: datetime | None = None) -> dict:
    """Overdue and purgatory costs summed per department and per board, with the counts of
    use cases that have no benefit estimate (no figure; 4 queries)."""
    at = at or timezone.now()
    deciding, boards = boards_by_department()
    per_day = F("use_case__expected_benefit_yearly") / Value(365.0)
    overdue = (
        overdue_reviews(at=at, deciding=deciding)
        .values("use_case__department_id")
        .annotate(
            count=Count("id"),
            no_estimate=Count("id", filter=Q(use_case__expected_benefit_yearly__isnull=True)),
            cost=Sum(per_day * F("days_overdue"), output_field=FloatField()),
        )
        .order_by()
    )
    purgatory = (
        pilots_in_purgatory(at=at)
        .annotate(days_past=F("days_in_pilot") - F("pilot_time_box_days"))
        .values("department_id")
        .annotate(
            count=Count("id"),
            no_estimate=Count("id", filter=Q(expected_benefit_yearly__isnull=True)),
            cost=Sum(
                F("expected_benefit_yearly") / Value(365.0) * F("days_past"),
                output_field=FloatField(),
            ),
        )
        .order_by()
    )
    names = dict(Department.objects.values_list("pk", "name"))
    departments: dict[int, dict] = {}

    def row(pk):
        return departments.setdefault(
            pk,
            {
                "department_id": pk,
                "department": names.get(pk, "?"),
                "board_id": deciding[pk].pk if pk in deciding else None,
                "board": deciding[pk].name if pk in deciding else "no board",
                "overdue_cost": Decimal(0),
                "overdue_count": 0,
                "overdue_no_estimate": 0,
                "purgatory_cost": Decimal(0),
                "purgatory_count": 0,
                "purgatory_no_estimate": 0,
            },
        )

    for entry in overdue:
        target = row(entry["use_case__department_id"])
        target["overdue_cost"] = _money(entry["cost"])
        target["overdue_count"] = entry["count"]
        target["overdue_no_estimate"] = entry["no_estimate"]
    for entry in purgatory:
        target = row(entry["department_id"])
        target["purgatory_cost"] = _money(entry["cost"])
        target["purgatory_count"] = entry["count"]
        target["purgatory_no_estimate"] = entry["no_estimate"]
    by_board: dict[str, dict] = {}
    for entry in departments.values():
        board = by_board.setdefault(
            entry["board"],
            {
                "board_id": entry["board_id"],
                "board": entry["board"],
                "overdue_cost": Decimal(0),
                "purgatory_cost": Decimal(0),
                "overdue_count": 0,
                "purgatory_count": 0,
            },
        )
        for key in ("overdue_cost", "purgatory_cost", "overdue_count", "purgatory_count"):
            board[key] += entry[key]
    rows = sorted(departments.values(), key=lambda r: r["department"])
    return {
        "departments": rows,
        "boards": sorted(by_board.values(), key=lambda r: r["board"]),
        "overdue_total": sum((r["overdue_cost"] for r in rows), Decimal(0)),
        "purgatory_total": sum((r["purgatory_cost"] for r in rows), Decimal(0)),
        "boards_known": [b.name for b in boards],
    }


@dataclass(frozen=True)
class BoardObjective:
    board: Board
    figures: Objective
    history: list[tuple[datetime, Objective]]


def board_objectives(
    *, at: datetime | None = None, history_days: int = 0, board_id: int | None = None
) -> list[BoardObjective]:
    """Each active board's rolling decision-objective figures at ``at`` and, with
    ``history_days``, at the end of each of the days before (the budget over time);
    3 queries, the reviews of every board read once."""
    at = at or timezone.now()
    deciding, boards = boards_by_department()
    if board_id is not None:
        boards = [b for b in boards if b.pk == board_id]
    longest = max((b.objective_window_days for b in boards), default=28)
    since = at - timedelta(days=longest + history_days)
    rows = GateReview.objects.filter(
        Q(decided_at__gte=since) | Q(status=ReviewStatus.OPEN),
        requested_at__lte=at,
    ).values_list("use_case__department_id", "requested_at", "decided_at", "status")
    by_board: dict[int, list[ReviewTimes]] = {}
    for department_id, requested_at, decided_at, status in rows:
        board = deciding.get(department_id)
        if board is None:
            continue
        if status != ReviewStatus.OPEN and decided_at is None:
            continue
        by_board.setdefault(board.pk, []).append(ReviewTimes(requested_at, decided_at))
    result = []
    for board in boards:
        reviews = by_board.get(board.pk, [])

        def figures(moment, reviews=reviews, board=board):
            return objective_figures(
                [r for r in reviews if r.requested_at <= moment],
                target_hours=board.decision_target_hours,
                objective=board.decision_objective,
                window_days=board.objective_window_days,
                at=moment,
            )

        history = [
            (moment, figures(moment))
            for moment in (at - timedelta(days=d) for d in range(history_days, 0, -1))
        ]
        result.append(BoardObjective(board=board, figures=figures(at), history=history))
    return result


def escalated_reviews(*, user, at: datetime | None = None) -> list:
    """Open reviews waiting 2 x T or longer at a board whose fallback this person is
    (1 query for someone who is nobody's fallback, 4 for a fallback)."""
    at = at or timezone.now()
    mine = set(
        Board.objects.filter(
            Q(fallback_member__user=user, fallback_member__active=True)
            | Q(fallback_executive=user),
            active=True,
        ).values_list("pk", flat=True)
    )
    if not mine:  # most people: one query
        return []
    deciding, _ = boards_by_department()
    departments = [pk for pk, board in deciding.items() if board.pk in mine]
    reviews = (
        GateReview.objects.filter(status=ReviewStatus.OPEN, use_case__department_id__in=departments)
        .select_related("use_case")
        .order_by("requested_at", "pk")
    )
    result = []
    for review in reviews:
        board = deciding[review.use_case.department_id]
        if escalated(
            requested_at=review.requested_at, target_hours=board.decision_target_hours, at=at
        ):
            review.board = board
            result.append(review)
    return result
