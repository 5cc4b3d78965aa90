"""Tables of the gates app: versioned criteria sets, gate reviews and their frozen evidence."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MEASURE_VALIDATORS
from core.history import HistoryQuerySet, tracked_history
from core.models import AppendOnlyModel
from gates.choices import (
    Comparator,
    CriterionKind,
    Gate,
    Purpose,
    Recommendation,
    ReviewStatus,
)
from gates.registry import measurable_choices
from portfolio.choices import ArtifactKind, Playbook


class CriteriaSet(models.Model):
    """One version of the criteria a gate is judged by, for every playbook or for one.

    A version that a review has used is never edited: a change is a new version (see
    gates.services.criteria_set_revise), and the review keeps the version it was judged by.
    """

    gate = models.CharField(verbose_name=_("gate"), max_length=2, choices=Gate.choices)
    playbook = models.CharField(
        verbose_name=_("playbook"),
        max_length=12,
        choices=Playbook.choices,
        blank=True,
        help_text=_("Empty: applies to every playbook without a set of its own."),
    )
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1)
    is_current = models.BooleanField(verbose_name=_("is current"), default=True)
    pass_mark = models.DecimalField(
        verbose_name=_("pass mark"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Percent of the should-meet weight that must pass."),
    )
    name = models.CharField(verbose_name=_("name"), max_length=120, blank=True)
    notes = models.TextField(
        verbose_name=_("notes"), blank=True, help_text=_("What changed in this version, and why.")
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["gate", "playbook", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["gate", "playbook", "version"], name="criteria_set_version_unique"
            ),
            models.UniqueConstraint(
                fields=["gate", "playbook"],
                condition=Q(is_current=True),
                name="one_current_criteria_set",
            ),
        ]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        scope = self.get_playbook_display() if self.playbook else "all playbooks"
        return f"{self.gate} · {scope} · v{self.version}"


# What a criterion says, written once: the services accept these, the API reads and writes
# them, the admin edits them (each derives its list from this one).
CRITERION_FIELDS = (
    "label",
    "measurable",
    "metric_name",
    "artifact_kind",
    "comparator",
    "threshold",
    "threshold_high",
    "kind",
    "weight",
)


class Criterion(models.Model):
    """A measurable, a comparator with threshold(s), and whether it knocks out or is weighed."""

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    label = models.CharField(verbose_name=_("label"), max_length=160)
    # Built-in measurables plus those registered by higher apps (gates.registry).
    measurable = models.CharField(
        verbose_name=_("measurable"), max_length=24, choices=measurable_choices
    )
    metric_name = models.CharField(
        verbose_name=_("metric name"),
        max_length=120,
        blank=True,
        help_text=_(
            "For lift, adoption and latest reading: the metric's name (empty: the "
            "first business metric; for adoption, the technical metric named like "
            "'adoption')."
        ),
    )
    artifact_kind = models.CharField(
        verbose_name=_("artifact kind"), max_length=20, choices=ArtifactKind.choices, blank=True
    )
    comparator = models.CharField(
        verbose_name=_("comparator"), max_length=8, choices=Comparator.choices
    )
    threshold = models.DecimalField(
        verbose_name=_("threshold"), max_digits=18, decimal_places=4, validators=MEASURE_VALIDATORS
    )
    threshold_high = models.DecimalField(
        verbose_name=_("threshold high"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=MEASURE_VALIDATORS,
        help_text=_("Upper bound (between)."),
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=6, choices=CriterionKind.choices)
    weight = models.DecimalField(
        verbose_name=_("weight"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Weight of a should-meet criterion in the score."),
    )

    objects = HistoryQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["criteria_set_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(comparator=Comparator.BETWEEN)
                | Q(threshold_high__isnull=False, threshold_high__gte=models.F("threshold")),
                name="between_needs_an_upper_bound",
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="weight_not_negative"),
        ]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.label


class GateReview(models.Model):
    """A request to judge a use case at a gate; open until the board decides it."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="gate_reviews",
    )
    gate = models.CharField(verbose_name=_("gate"), max_length=2, choices=Gate.choices)
    purpose = models.CharField(
        verbose_name=_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.ADVANCE
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=8,
        choices=ReviewStatus.choices,
        default=ReviewStatus.OPEN,
        db_index=True,
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_reviews",
        help_text=_("Empty when the system opened it (condition overdue, re-review due)."),
    )
    reason = models.TextField(verbose_name=_("reason"), blank=True)
    requested_at = models.DateTimeField(verbose_name=_("requested at"), db_index=True)
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case"],
                condition=Q(status=ReviewStatus.OPEN),
                name="one_open_review_per_use_case",
            ),
        ]
        indexes = [models.Index(fields=["use_case", "requested_at"], name="review_use_case_time")]
        verbose_name = _("gate review")
        verbose_name_plural = _("gate reviews")

    def __str__(self) -> str:
        return f"{self.gate} review of {self.use_case} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN


class EvidenceSnapshot(AppendOnlyModel):
    """The evidence a review was judged on, frozen: every value, the readings used, when.

    Re-evaluating an open review adds a snapshot; none is ever changed.
    """

    review = models.ForeignKey(
        GateReview, verbose_name=_("review"), on_delete=models.PROTECT, related_name="snapshots"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(verbose_name=_("taken at"), db_index=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation = models.CharField(
        verbose_name=_("recommendation"), max_length=12, choices=Recommendation.choices
    )
    score = models.DecimalField(verbose_name=_("score"), max_digits=6, decimal_places=2)
    pass_mark = models.DecimalField(verbose_name=_("pass mark"), max_digits=5, decimal_places=2)
    # One row per criterion: label, measurable, comparator, thresholds, kind, weight, value,
    # outcome, contribution, and the sources (readings with their ids, values and times).
    rows = models.JSONField(verbose_name=_("rows"), default=list)

    class Meta:
        ordering = ["review_id", "taken_at", "id"]
        get_latest_by = ["taken_at", "id"]
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")

    def __str__(self) -> str:
        return f"{self.review} · {self.get_recommendation_display()} at {self.taken_at:%Y-%m-%d}"
