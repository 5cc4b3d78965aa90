"""Enumerations of the governance app: votes and verdicts, conditions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    GO = "go", _("GO")
    NO_GO = "no_go", _("NO-GO")
    HOLD = "hold", _("HOLD")
    RECYCLE = "recycle", _("RECYCLE")
    CONDITIONAL_GO = "conditional_go", _("CONDITIONAL GO")


# A vote is cast with one of the verdicts the board can reach.
VoteChoice = Verdict
FORWARD_VERDICTS = frozenset({Verdict.GO, Verdict.CONDITIONAL_GO})


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    UNMET = "unmet", _("Not met")


class RebaselineKind(models.TextChoices):
    """What a re-baselining request asks: move a metric's goalposts, add a business metric
    with its goalposts, or retire one (its readings stay on the record)."""

    CHANGE = "change", _("Move goalposts")
    ADD = "add", _("Add a business metric")
    RETIRE = "retire", _("Retire a business metric")


class RebaselineOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BoardFlagKind(models.TextChoices):
    """The two flags of a board's decision objective (PRODUCT.md)."""

    OBJECTIVE_AT_RISK = "objective_at_risk", _("Objective at risk")
    OBJECTIVE_MISSED = "objective_missed", _("Objective missed")
