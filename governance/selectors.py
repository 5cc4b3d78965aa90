"""Reads of the governance app: which board decides, who may vote, the quorum state."""

from datetime import datetime

from django.db.models import Q, QuerySet

from core.roles import RoleRows
from gates.choices import ReviewStatus
from gates.models import GateReview
from gates.selectors import snapshot_latest
from governance.models import (
    Board,
    BoardMember,
    Condition,
    Decision,
    Delegation,
    Recusal,
    Vote,
)
from governance.quorum import Quorum, quorum
from portfolio.models import Membership

# The boards a person holds an active seat on: a core.roles source read in the same query as
# the person's groups and departments.
board_roles = RoleRows(
    rows=lambda user: BoardMember.objects.filter(user=user.pk, active=True),
    text="",
    number="board_id",
    read=lambda pairs: {"boards": frozenset(number for _, number in pairs)},
)


def board_for_department(*, department_id: int) -> Board | None:
    """The active board that covers the department, else the whole-portfolio board."""
    boards = Board.objects.filter(
        Q(departments=department_id) | Q(covers_all=True), active=True
    ).distinct()
    return min(boards, key=lambda b: (b.covers_all, b.pk), default=None)


def open_reviews_decided_by(*, user) -> QuerySet:
    """Open reviews decided by the boards this person sits on (a fixed number of queries).

    The same rule as board_for_department, from the other side: a department's own board
    decides; the whole-portfolio board decides for departments no other board covers.
    """
    seats = list(BoardMember.objects.filter(user=user, active=True).select_related("board"))
    if not seats:
        return GateReview.objects.none()
    boards = [seat.board for seat in seats if seat.board.active]
    covered = Q(use_case__department__boards__in=boards)
    if any(board.covers_all for board in boards):
        # The whole-portfolio board decides for every department no other board covers.
        others = Board.objects.filter(active=True, covers_all=False).exclude(
            pk__in=[b.pk for b in boards]
        )
        covered |= ~Q(use_case__department__boards__in=others)
    return GateReview.objects.filter(covered, status=ReviewStatus.OPEN).distinct()


def voting_seats(*, board: Board) -> QuerySet:
    return BoardMember.objects.filter(board=board, active=True, is_voting=True).select_related(
        "user"
    )


def is_conflicted(*, seat: BoardMember, department_id: int) -> bool:
    """Default conflict of interest: the member belongs to the use case's department."""
    return Membership.objects.filter(user_id=seat.user_id, department_id=department_id).exists()


def conflicted_seats(*, board: Board, department_id: int) -> list[BoardMember]:
    """The board's active seats whose holder belongs to the department (one query)."""
    members = Membership.objects.filter(department_id=department_id).values("user_id")
    return list(BoardMember.objects.filter(board=board, active=True, user_id__in=members))


def delegation_active(
    *, delegator: BoardMember, delegate: BoardMember, at: datetime
) -> Delegation | None:
    return (
        Delegation.objects.filter(
            delegator=delegator, delegate=delegate, starts_at__lte=at, ends_at__gt=at
        )
        .order_by("-starts_at", "-id")
        .first()
    )


def quorum_of(*, review: GateReview, board: Board) -> Quorum:
    """Electorate = active voting seats minus recused; only their votes count (two queries)."""
    recused = Recusal.objects.filter(review=review).values("member_id")
    electorate = voting_seats(board=board).exclude(pk__in=recused)
    choices = Vote.objects.filter(review=review, member__in=electorate).values_list(
        "choice", flat=True
    )
    return quorum(electorate=electorate.count(), minimum=board.quorum_minimum, choices=choices)


def votes_of(*, review: GateReview) -> QuerySet:
    """Every vote on the review, member by member, with who cast it and for whom."""
    return Vote.objects.filter(review=review).select_related("member__user", "cast_by")


def decision_list() -> QuerySet:
    return Decision.objects.select_related(
        "review", "review__use_case", "review__use_case__department", "decided_by", "board"
    )


def review_scorecard(*, review: GateReview) -> dict:
    """A review's scorecard as every surface shows it (the API, the review page, the board
    pack): the latest frozen evidence, the quorum state, each vote (marked where it dissents
    from the decision) and recusal, the decision and its conditions. A fixed number of
    queries, whatever the number of votes."""
    use_case = review.use_case
    board = board_for_department(department_id=use_case.department_id)
    votes = list(votes_of(review=review))
    decision = Decision.objects.filter(review=review).select_related("decided_by").first()
    for vote in votes:
        vote.dissents = decision is not None and vote.choice != decision.verdict
    return {
        "review": review,
        "use_case": use_case,
        "board": board,
        "snapshot": snapshot_latest(review=review),
        "votes": votes,
        "recusals": list(Recusal.objects.filter(review=review).select_related("member__user")),
        "quorum": quorum_of(review=review, board=board) if board else None,
        "decision": decision,
        "conditions": (
            list(Condition.objects.filter(decision=decision).order_by("due_date", "id"))
            if decision
            else []
        ),
    }
