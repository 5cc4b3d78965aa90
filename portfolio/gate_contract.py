"""The contract between the lifecycle and the gate decisions that authorise forward moves."""

from typing import Protocol

import rules


class GateAuthorisation(Protocol):
    """What a gate decision must offer to move a use case forward (the decision record of the
    layer above implements it)."""

    pk: int | None

    def authorises_forward_move(self, *, use_case) -> bool:
        """True when this saved decision is a GO (or CONDITIONAL GO) for the use case's gate."""

    def authorises_stop(self, *, use_case, transition: str) -> bool:
        """True when this saved decision is the verdict for that stop (NO-GO kill, HOLD hold)
        of a review of this use case."""


def nobody(instance, user) -> bool:
    """No person performs a forward move; only a gate decision does, through its service."""
    return False


def may_manage_lifecycle(instance, user) -> bool:
    """Department heads of the use case's department and portfolio administrators."""
    return rules.has_perm("portfolio.manage_use_case", user, instance)
