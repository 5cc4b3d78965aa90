"""Who may read and change the compliance records (django-rules, autodiscovered)."""

import rules

from core.rules import is_executive, is_portfolio_admin
from portfolio.rules import can_manage_use_case, can_view_use_case


@rules.predicate
def owns_obligation(user, obligation) -> bool:
    return obligation is not None and obligation.owner_id == getattr(user, "pk", None)


def _use_case(predicate):
    """The use-case predicate applied to an obligation's use case."""

    @rules.predicate(name=f"{predicate.name}_of_obligation")
    def check(user, obligation) -> bool:
        return obligation is not None and predicate.test(user, obligation.use_case)

    return check


# Reading follows the use case; a department's heads and administrators record the profile
# and the claims; an obligation's owner works on it too; executives and administrators take
# the evidence packs.
rules.add_perm("compliance.view_use_case", can_view_use_case)
rules.add_perm("compliance.manage_use_case", can_manage_use_case)
rules.add_perm("compliance.work_on_obligation", _use_case(can_manage_use_case) | owns_obligation)
rules.add_perm("compliance.download_pack", is_executive | is_portfolio_admin)
