"""Stored velocity results, flags with their history, and jobs waiting for the broker."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PORTFOLIO_SCOPE = "portfolio"
ALL_TIME = ""


def department_scope(department_id: int) -> str:
    """The scope key of one department's figures."""
    return f"department:{department_id}"


class SnapshotMeasure(models.TextChoices):
    # Per use case: one row per completed duration.
    INTAKE = "intake", _("Intake time (submitted to pilot)")
    PILOT = "pilot", _("Pilot time (pilot to scale)")
    TO_SCALE = "to_scale", _("Time to scale (submitted to scale)")
    TO_EXTEND = "to_extend", _("Time to extend (submitted to extend)")
    # Per scope (department or portfolio): one row per duration measure, label = status.
    TREND_INTAKE = "trend:intake", _("Trend of intake time")
    TREND_PILOT = "trend:pilot", _("Trend of pilot time")
    TREND_TO_SCALE = "trend:to_scale", _("Trend of time to scale")
    TREND_TO_EXTEND = "trend:to_extend", _("Trend of time to extend")


class FlagKind(models.TextChoices):
    SLOWER_THAN_PREVIOUS = "slower_than_previous", _("Slower than the previous initiative")
    PILOT_PURGATORY = "pilot_purgatory", _("Pilot purgatory")
    DECISION_OVERDUE = "decision_overdue", _("Decision overdue")
    STALL_IN_PROGRESS = "stall_in_progress", _("Stall in progress")
    STALE_METRICS = "stale_metrics", _("Stale metrics")
    CONDITION_OVERDUE = "condition_overdue", _("Condition overdue")
    RE_REVIEW_DUE = "re_review_due", _("Re-review due")
    OBLIGATION_OVERDUE = "obligation_overdue", _("Obligation overdue")
    BEHIND_FORECAST = "behind_forecast", _("Behind forecast")
    ADOPTION_PLATEAU = "adoption_plateau", _("Adoption plateau")
    INCIDENT_REPORT_OVERDUE = "incident_report_overdue", _("Incident report overdue")
    VENDOR_ASSESSMENT_DUE = "vendor_assessment_due", _("Vendor assessment expired")


class ScopedFigure(models.Model):
    """What a stored velocity figure and a stored forecast share: the scope it belongs to
    (``department:<id>`` or ``portfolio``), the duration measure, the department and the
    submission moment of its use case, and when it was computed. Derived data rebuilt in
    bulk, so the department is a plain column (no foreign-key trigger, no index of its own).
    """

    scope = models.CharField(verbose_name=_("scope"), max_length=40)
    measure = models.CharField(
        verbose_name=_("measure"), max_length=24, choices=SnapshotMeasure.choices
    )
    department = models.ForeignKey(
        "portfolio.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    submitted_at = models.DateTimeField(verbose_name=_("submitted at"), null=True, blank=True)
    computed_at = models.DateTimeField(verbose_name=_("computed at"), default=timezone.now)

    class Meta:
        abstract = True


class VelocitySnapshot(ScopedFigure):
    """One computed figure, keyed by (scope, period, measure, use case) and upserted.

    Duration rows (use case set): ``value`` is the days excluding holds, ``hold_days`` the
    days on hold, ``label`` faster/slower/same/first against ``previous_use_case``.
    Trend rows (no use case): ``value`` the Theil-Sen slope in days per initiative,
    ``label`` the status, ``share_faster`` and ``streak`` the department's momentum.
    A rerun writes nothing when nothing changed, so ``computed_at`` says when it last moved.
    """

    period = models.CharField(verbose_name=_("period"), max_length=10, blank=True, default=ALL_TIME)
    # Snapshots are derived data, rebuilt from the record by set-based upserts of hundreds of
    # thousands of rows: no foreign-key triggers and no single-column indexes on that write
    # path (the ORM still cascades deletes; (use_case, measure) is indexed below).
    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="velocity_snapshots",
        db_constraint=False,
        db_index=False,
    )
    position = models.PositiveIntegerField(verbose_name=_("position"), null=True, blank=True)
    value = models.DecimalField(
        verbose_name=_("value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    hold_days = models.DecimalField(
        verbose_name=_("hold days"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Only submitted use cases are ever a predecessor, and only drafts are ever deleted.
    previous_use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("previous use case"),
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    previous_value = models.DecimalField(
        verbose_name=_("previous value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    difference_days = models.DecimalField(
        verbose_name=_("difference days"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    ratio = models.DecimalField(
        verbose_name=_("ratio"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    label = models.CharField(verbose_name=_("label"), max_length=16, blank=True)
    share_faster = models.DecimalField(
        verbose_name=_("share faster"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    streak = models.PositiveIntegerField(verbose_name=_("streak"), null=True, blank=True)
    median_days = models.DecimalField(
        verbose_name=_("median days"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["scope", "measure", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period", "measure", "use_case"],
                condition=Q(use_case__isnull=False),
                name="velocity_snapshot_use_case_key",
            ),
            models.UniqueConstraint(
                fields=["scope", "period", "measure"],
                condition=Q(use_case__isnull=True),
                name="velocity_snapshot_scope_key",
            ),
        ]
        indexes = [
            models.Index(fields=["use_case", "measure"], name="velocity_snapshot_use_case"),
            # The API's default order (and its department filter) read as index ranges.
            models.Index(
                fields=["scope", "measure", "position", "id"], name="velocity_snapshot_list_order"
            ),
            models.Index(
                fields=["department", "scope", "measure", "position"],
                name="velocity_snapshot_department",
            ),
        ]
        verbose_name = _("velocity snapshot")
        verbose_name_plural = _("velocity snapshots")

    def __str__(self) -> str:
        return f"{self.scope} {self.measure} {self.use_case_id or ''}: {self.value} {self.label}"


class VelocityWatermark(models.Model):
    """What the transition record of a scope looked like when its velocity was last written:
    a rerun compares and skips the scopes whose record has not changed since.

    The record is append-only, so its count and highest id change with every new row; the
    sum of use case ids changes when a use case moves to another department. The portfolio
    scope's row stands for the whole record.
    """

    scope = models.CharField(verbose_name=_("scope"), max_length=40, unique=True)
    records = models.BigIntegerField(verbose_name=_("records"))
    last_record_id = models.BigIntegerField(verbose_name=_("last record id"))
    use_case_sum = models.BigIntegerField(verbose_name=_("use case sum"))
    # Duration rows stored for the scope after the run: rows deleted by hand are noticed.
    rows = models.BigIntegerField(verbose_name=_("rows"), default=0)
    computed_at = models.DateTimeField(verbose_name=_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("velocity watermark")
        verbose_name_plural = _("velocity watermarks")

    def __str__(self) -> str:
        return f"{self.scope}: {self.records} records up to #{self.last_record_id}"

    @property
    def fingerprint(self) -> tuple[int, int, int]:
        return (self.records, self.last_record_id, self.use_case_sum)


class FigureSnapshot(models.Model):
    """Figures that are expensive to aggregate at scale, computed by a job and read by the
    pages (the dashboard), with the moment they were computed shown beside them."""

    key = models.CharField(verbose_name=_("key"), max_length=40, unique=True)
    figures = models.JSONField(verbose_name=_("figures"), default=dict)
    computed_at = models.DateTimeField(verbose_name=_("computed at"), default=timezone.now)
    seconds = models.FloatField(
        verbose_name=_("seconds"), default=0, help_text=_("How long the computation took.")
    )

    class Meta:
        verbose_name = _("figure snapshot")
        verbose_name_plural = _("figure snapshots")

    def __str__(self) -> str:
        return f"{self.key} at {self.computed_at:%Y-%m-%d %H:%M}"


class Flag(models.Model):
    """A warning about one use case, raised and cleared by the jobs; cleared rows stay as history.

    At most one open flag per (use case, kind); a cause that returns raises a new row.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="flags",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=24, choices=FlagKind.choices)
    reason = models.TextField(verbose_name=_("reason"))
    raised_at = models.DateTimeField(verbose_name=_("raised at"), default=timezone.now)
    cleared_at = models.DateTimeField(verbose_name=_("cleared at"), null=True, blank=True)
    clear_reason = models.CharField(verbose_name=_("clear reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "kind"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_flag_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "cleared_at"], name="flag_kind_open"),
            models.Index(fields=["-raised_at", "-id"], name="flag_list_order"),
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self) -> str:
        state = "open" if self.cleared_at is None else "cleared"
        return f"{self.get_kind_display()} ({state}): {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class ForecastSnapshot(ScopedFigure):
    """A stored forecast (portfolio.forecast), written by the velocity job.

    With a use case: the forecast it had at its submission (only durations completed before
    that moment), kept beside its actual duration once completed (the back-test). Without
    one: the forecast a use case submitted now would get, for a department (``scope``
    ``department:<id>``) or the portfolio (``portfolio``). A forecast that could not be made
    (fewer than three durations in the department and in the portfolio) has no row.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forecasts",
        db_constraint=False,
        db_index=False,
    )
    basis = models.CharField(
        verbose_name=_("basis"), max_length=12, help_text=_("department or portfolio")
    )
    n = models.PositiveIntegerField(
        verbose_name=_("n"), help_text=_("Completed durations the forecast is based on.")
    )
    days = models.DecimalField(verbose_name=_("days"), max_digits=14, decimal_places=4)
    low = models.DecimalField(verbose_name=_("low"), max_digits=14, decimal_places=4)
    high = models.DecimalField(verbose_name=_("high"), max_digits=14, decimal_places=4)
    actual_days = models.DecimalField(
        verbose_name=_("actual days"), max_digits=14, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["scope", "measure", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "use_case"],
                condition=Q(use_case__isnull=False),
                name="forecast_use_case_key",
            ),
            models.UniqueConstraint(
                fields=["scope", "measure"],
                condition=Q(use_case__isnull=True),
                name="forecast_scope_key",
            ),
        ]
        indexes = [
            models.Index(fields=["use_case", "measure"], name="forecast_use_case"),
            models.Index(fields=["scope", "measure"], name="forecast_scope"),
        ]
        verbose_name = _("forecast snapshot")
        verbose_name_plural = _("forecast snapshots")

    def __str__(self) -> str:
        return f"{self.scope} {self.measure} {self.use_case_id or 'next'}: {self.days}"
