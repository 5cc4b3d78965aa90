from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MEASURE_VALIDATORS
from core.history import HistoryQuerySet, tracked_history
from core.models import AppendOnlyModel, AppendOnlyQuerySet
from portfolio.choices import Cadence, Direction, MetricKind

# A measured value: a trillion either way (core.bounds).
MEASURE = {"max_digits": 18, "decimal_places": 4, "validators": MEASURE_VALIDATORS}


class MetricQuerySet(HistoryQuerySet):
    def active(self, at=None):
        """The metrics that count (at ``at``, default now): not retired by re-baselining.
        A metric retired later than ``at`` still counted then."""
        if at is None:
            return self.filter(retired_at__isnull=True)
        return self.filter(Q(retired_at__isnull=True) | Q(retired_at__gt=at))


class Metric(models.Model):
    """A business outcome metric, or a technical metric paired with the business one it moves."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="metrics",
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=12,
        choices=MetricKind.choices,
        default=MetricKind.BUSINESS,
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    unit = models.CharField(verbose_name=_("unit"), max_length=40)
    direction = models.CharField(
        verbose_name=_("direction"),
        max_length=8,
        choices=Direction.choices,
        default=Direction.HIGHER,
    )
    baseline = models.DecimalField(verbose_name=_("baseline"), **MEASURE, null=True, blank=True)
    target = models.DecimalField(verbose_name=_("target"), **MEASURE, null=True, blank=True)
    cadence = models.CharField(
        verbose_name=_("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    paired_with = models.ForeignKey(
        "self",
        verbose_name=_("paired with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="paired_technical_metrics",
        help_text=_("For a technical metric: the business metric it is meant to move."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    # Set by a re-baselining request the board approved (never deleted: readings are
    # evidence). A retired metric stops counting from this moment on.
    retired_at = models.DateTimeField(
        verbose_name=_("retired at"), null=True, blank=True, editable=False
    )

    objects = MetricQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["use_case_id", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "name"], name="metric_name_unique_per_use_case"
            ),
            models.CheckConstraint(
                condition=Q(kind=MetricKind.TECHNICAL) | Q(paired_with__isnull=True),
                name="only_technical_metrics_are_paired",
            ),
        ]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def is_business(self) -> bool:
        return self.kind == MetricKind.BUSINESS

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class ReadingQuerySet(AppendOnlyQuerySet):
    def current(self):
        """The readings that count: those no later correction superseded."""
        return self.filter(superseded_by__isnull=True)


class MetricReading(AppendOnlyModel):
    """One measured value of a metric at a moment; readings are evidence and are kept.

    A reading is never edited or deleted (the model, its queryset and, on PostgreSQL, a
    trigger refuse it). A wrong value is corrected by a new reading that ``supersedes`` it,
    with a reason; both stay on the record and the evaluation reads the correction.
    """

    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="readings"
    )
    value = models.DecimalField(verbose_name=_("value"), **MEASURE)
    measured_at = models.DateTimeField(verbose_name=_("measured at"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(verbose_name=_("note"), max_length=240, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_(
            "The earlier reading this one corrects (each reading is corrected "
            "once; a further correction supersedes the correction)."
        ),
    )
    correction_reason = models.TextField(verbose_name=_("correction reason"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["metric_id", "measured_at", "id"]
        indexes = [models.Index(fields=["metric", "measured_at"], name="reading_metric_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="a_correction_says_why",
            ),
        ]
        verbose_name = _("metric reading")
        verbose_name_plural = _("metric readings")

    def __str__(self) -> str:
        return f"{self.metric.name} = {self.value} at {self.measured_at:%Y-%m-%d}"
