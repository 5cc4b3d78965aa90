"""Tables of the governance app: boards, seats, votes, recusals, delegations, decisions.

Votes, decisions, recusals, delegations and re-baselinings are the audit record: they are
append-only (the model refuses changes and, on PostgreSQL, a trigger does too).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from gates.choices import GATE_FOR_STATE, Purpose
from governance.choices import (
    FORWARD_VERDICTS,
    BoardFlagKind,
    ConditionStatus,
    Verdict,
    VoteChoice,
)
from governance.models.rebaselining import (
    RebaselineDecision,
    RebaselinePending,
    RebaselineRequest,
)


class Board(models.Model):
    """A governance board; it covers some departments, or the whole portfolio."""

    name = models.CharField(verbose_name=_("name"), max_length=120, unique=True)
    covers_all = models.BooleanField(
        verbose_name=_("covers all"),
        default=False,
        help_text=_("Covers every department that no other board covers."),
    )
    departments = models.ManyToManyField(
        "portfolio.Department", verbose_name=_("departments"), blank=True, related_name="boards"
    )
    quorum_minimum = models.PositiveSmallIntegerField(
        verbose_name=_("quorum minimum"),
        default=0,
        help_text=_("Fewest votes that close a review, whatever the majority rule says (0: none)."),
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    # The board's promise on decision speed (PRODUCT.md, "A decision objective per board").
    decision_target_hours = models.PositiveIntegerField(
        verbose_name=_("decision target hours"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 365)],
        help_text=_("Decision target T: a review decided within T hours of its request is good."),
    )
    decision_objective = models.DecimalField(
        verbose_name=_("decision objective"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.9"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("Objective O: the share of decisions within T over the window (0.9 = 90%)."),
    )
    objective_window_days = models.PositiveSmallIntegerField(
        verbose_name=_("objective window days"),
        default=28,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text=_("The rolling window of the objective, in days."),
    )
    fallback_member = models.ForeignKey(
        "governance.BoardMember",
        verbose_name=_("fallback member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Asked when a review waits past twice the target (a member of this board)."),
    )
    fallback_executive = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fallback executive"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Or an executive, asked when no member is named."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self) -> str:
        return self.name


class BoardMember(models.Model):
    """A person's seat on a board: voting or not, chair or not."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="board_seats",
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    is_voting = models.BooleanField(verbose_name=_("is voting"), default=True)
    is_chair = models.BooleanField(verbose_name=_("is chair"), default=False)
    joined_at = models.DateTimeField(verbose_name=_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["board_id", "-is_chair", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="one_seat_per_board"),
        ]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")

    def __str__(self) -> str:
        role = "chair" if self.is_chair else ("voting" if self.is_voting else "observer")
        return f"{self.user} ({role}, {self.board})"


class Delegation(AppendOnlyModel):
    """A member hands their vote to another member of the same board for a period."""

    delegator = models.ForeignKey(
        BoardMember,
        verbose_name=_("delegator"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        BoardMember,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    starts_at = models.DateTimeField(verbose_name=_("starts at"))
    ends_at = models.DateTimeField(verbose_name=_("ends at"))
    reason = models.CharField(verbose_name=_("reason"), max_length=240, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="delegation_period"
            ),
            models.CheckConstraint(
                condition=~Q(delegator=F("delegate")), name="no_delegation_to_oneself"
            ),
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        period = f"{self.starts_at:%Y-%m-%d} to {self.ends_at:%Y-%m-%d}"
        return f"{self.delegator} → {self.delegate} ({period})"


class Recusal(AppendOnlyModel):
    """A member stands aside from one review for a conflict of interest."""

    review = models.ForeignKey(
        "gates.GateReview",
        verbose_name=_("review"),
        on_delete=models.PROTECT,
        related_name="recusals",
    )
    member = models.ForeignKey(
        BoardMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="recusals"
    )
    reason = models.CharField(verbose_name=_("reason"), max_length=240)
    automatic = models.BooleanField(
        verbose_name=_("automatic"),
        default=False,
        help_text=_("Recorded by the conflict rule (member of the department)."),
    )
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        ordering = ["review_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="one_recusal_per_member"),
        ]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")

    def __str__(self) -> str:
        return f"{self.member.user} recused from review {self.review_id}"


class Vote(AppendOnlyModel):
    """One seat's vote on one review, with its comment; who cast it shows any delegation."""

    review = models.ForeignKey(
        "gates.GateReview", verbose_name=_("review"), on_delete=models.PROTECT, related_name="votes"
    )
    member = models.ForeignKey(
        BoardMember,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="votes",
        help_text=_("Whose vote it is."),
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cast by"),
        on_delete=models.PROTECT,
        related_name="votes_cast",
        help_text=_("Who cast it: the member, or their delegate."),
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
    )
    choice = models.CharField(verbose_name=_("choice"), max_length=16, choices=VoteChoice.choices)
    comment = models.TextField(verbose_name=_("comment"))
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        ordering = ["review_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="one_vote_per_member"),
        ]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.member.user}: {self.get_choice_display()} on review {self.review_id}"

    @property
    def is_delegated(self) -> bool:
        return self.delegation_id is not None


class Decision(AppendOnlyModel):
    """The board's decision that closes a review; the record that authorises a move."""

    review = models.OneToOneField(
        "gates.GateReview",
        verbose_name=_("review"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="decisions"
    )
    snapshot = models.ForeignKey(
        "gates.EvidenceSnapshot",
        verbose_name=_("snapshot"),
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text=_("The frozen evidence the decision was taken on."),
    )
    verdict = models.CharField(verbose_name=_("verdict"), max_length=16, choices=Verdict.choices)
    recommendation = models.CharField(verbose_name=_("recommendation"), max_length=12)
    is_override = models.BooleanField(verbose_name=_("is override"), default=False)
    rationale = models.TextField(verbose_name=_("rationale"), blank=True)
    votes_for_verdict = models.PositiveSmallIntegerField(
        verbose_name=_("votes for verdict"), default=0
    )
    votes_cast = models.PositiveSmallIntegerField(verbose_name=_("votes cast"), default=0)
    electorate = models.PositiveSmallIntegerField(verbose_name=_("electorate"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="decisions_closed",
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"), db_index=True)
    latency_hours = models.DecimalField(
        verbose_name=_("latency hours"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Requested to decided, in hours."),
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=False) | ~Q(rationale=""),
                name="override_needs_rationale",
            ),
            models.CheckConstraint(condition=Q(latency_hours__gte=0), name="latency_not_negative"),
        ]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on {self.review}"

    def authorises_forward_move(self, *, use_case) -> bool:
        """True only for a saved GO or CONDITIONAL GO of an advance review of this use case
        for the gate its current state needs (submitted G0, pilot G1, scale G2)."""
        if self.pk is None or self.verdict not in FORWARD_VERDICTS:
            return False
        review = self.review
        return (
            review.use_case_id == use_case.pk
            and review.purpose == Purpose.ADVANCE
            and GATE_FOR_STATE.get(use_case.state) == review.gate
        )

    def authorises_stop(self, *, use_case, transition: str) -> bool:
        """True only for a saved decision of a review of this use case whose verdict is that
        stop: NO-GO authorises the kill, HOLD the hold."""
        wanted = {"kill": Verdict.NO_GO, "hold": Verdict.HOLD}.get(transition)
        return (
            self.pk is not None
            and wanted is not None
            and self.verdict == wanted
            and self.review.use_case_id == use_case.pk
        )

    @property
    def latency(self) -> Decimal:
        return self.latency_hours


class Condition(models.Model):
    """A condition of a CONDITIONAL GO: what must hold, by when, and whether it was met."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="conditions"
    )
    text = models.TextField(verbose_name=_("text"))
    due_date = models.DateField(verbose_name=_("due date"), db_index=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=6,
        choices=ConditionStatus.choices,
        default=ConditionStatus.OPEN,
    )
    resolved_at = models.DateTimeField(verbose_name=_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(verbose_name=_("note"), blank=True)
    re_review = models.ForeignKey(
        "gates.GateReview",
        verbose_name=_("re-review"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overdue_conditions",
        help_text=_("The mandatory re-review opened because the condition was overdue."),
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        return f"{self.text[:60]} (due {self.due_date:%Y-%m-%d}, {self.get_status_display()})"


class BoardFlag(models.Model):
    """A flag on a board's decision objective, raised and cleared by the refresh like a use
    case's flags; cleared rows stay as history, a cause that returns raises a new row."""

    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=24, choices=BoardFlagKind.choices)
    reason = models.TextField(verbose_name=_("reason"))
    raised_at = models.DateTimeField(verbose_name=_("raised at"))
    cleared_at = models.DateTimeField(verbose_name=_("cleared at"), null=True, blank=True)
    clear_reason = models.CharField(verbose_name=_("clear reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "kind"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_board_flag_per_kind",
            ),
        ]
        verbose_name = _("board flag")
        verbose_name_plural = _("board flags")

    def __str__(self) -> str:
        state = "open" if self.cleared_at is None else "cleared"
        return f"{self.board}: {self.get_kind_display()} ({state})"


__all__ = [
    "Board",
    "BoardFlag",
    "BoardMember",
    "Condition",
    "Decision",
    "Delegation",
    "RebaselineDecision",
    "RebaselinePending",
    "RebaselineRequest",
    "Recusal",
    "Vote",
]
