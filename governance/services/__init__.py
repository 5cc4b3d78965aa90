"""Every write of the governance app: boards, review requests, votes, recusals,
delegations, decisions with their effect on the use case, conditions, re-baselining.

Every service takes ``at`` (default: now) for the moment it happens, so that history can
be written with past dates and decision latency comes from those values.
"""

from governance.services.boards import (
    board_create,
    board_member_add,
    board_member_remove,
    board_update,
    delegation_create,
)
from governance.services.common import QuorumNotReached
from governance.services.conditions import condition_overdue_review, condition_resolve
from governance.services.decisions import is_override, review_close
from governance.services.rebaselining import rebaseline_decide, rebaseline_request
from governance.services.reviews import review_request, vote_cast, vote_recuse

__all__ = [
    "QuorumNotReached",
    "board_create",
    "board_member_add",
    "board_member_remove",
    "board_update",
    "condition_overdue_review",
    "condition_resolve",
    "delegation_create",
    "is_override",
    "rebaseline_decide",
    "rebaseline_request",
    "review_close",
    "review_request",
    "vote_cast",
    "vote_recuse",
]
