"""What the governance services share: the moment, the deciding board, the locked review."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from gates.choices import ReviewStatus
from gates.models import GateReview
from governance import selectors
from governance.models import Board


class QuorumNotReached(ConflictError):
    """Closing a review before enough of the electorate has voted."""

    default_code = "quorum_not_reached"


def now(at: datetime | None) -> datetime:
    return at or timezone.now()


def board_of(review_or_use_case) -> Board:
    use_case = getattr(review_or_use_case, "use_case", review_or_use_case)
    board = selectors.board_for_department(department_id=use_case.department_id)
    if board is None:
        raise ConflictError(
            _("No governance board covers this use case's department."), code="no_board"
        )
    return board


def lock_open_review(review: GateReview) -> GateReview:
    """The review row, locked (PostgreSQL; SQLite holds the write lock), and still open."""
    locked = GateReview.objects.select_for_update().select_related("use_case").get(pk=review.pk)
    if locked.status != ReviewStatus.OPEN:
        raise ConflictError(_("The review is already decided."), code="review_decided")
    return locked
