"""`manage.py velocity` also runs the review-dependent sweeps of the governance layer."""

from io import StringIO

from django.core.management import call_command

from governance import services
from portfolio.models import FlagKind
from tests.support.governance import T0
from tests.support.voting import fresh, vote_all


def test_velocity_command_flags_a_pilot_stuck_past_its_time_box(
    board, chair, submitted_use_case, head
):
    _, seats = board
    review = services.review_request(use_case=submitted_use_case, actor=head, at=T0)
    vote_all(review, seats)
    services.review_close(review=review, actor=chair, rationale="Proceed.", at=T0)
    assert fresh(submitted_use_case).state == "pilot"

    call_command("velocity", "--no-progress", stdout=StringIO())

    flag = submitted_use_case.flags.get(kind=FlagKind.PILOT_PURGATORY, cleared_at=None)
    assert "time box" in flag.reason
