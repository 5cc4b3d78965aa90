"""Enumerations of the governance app: votes and verdicts, conditions."""

from django.db import models


class Verdict(models.TextChoices):
    GO = "go", "GO"
    NO_GO = "no_go", "NO-GO"
    HOLD = "hold", "HOLD"
    RECYCLE = "recycle", "RECYCLE"
    CONDITIONAL_GO = "conditional_go", "CONDITIONAL GO"


# A vote is cast with one of the verdicts the board can reach.
VoteChoice = Verdict
FORWARD_VERDICTS = frozenset({Verdict.GO, Verdict.CONDITIONAL_GO})


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    UNMET = "unmet", "Not met"


class RebaselineKind(models.TextChoices):
    """What a re-baselining request asks: move a metric's goalposts, add a business metric
    with its goalposts, or retire one (its readings stay on the record)."""

    CHANGE = "change", "Move goalposts"
    ADD = "add", "Add a business metric"
    RETIRE = "retire", "Retire a business metric"


class RebaselineOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class BoardFlagKind(models.TextChoices):
    """The two flags of a board's decision objective (PRODUCT.md)."""

    OBJECTIVE_AT_RISK = "objective_at_risk", "Objective at risk"
    OBJECTIVE_MISSED = "objective_missed", "Objective missed"
