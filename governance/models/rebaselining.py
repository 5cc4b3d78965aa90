"""Re-baselining: a request to move a locked use case's goalposts, the one pending request per
metric (or new metric name), and the board's decision. Requests and decisions are append-only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from governance.choices import RebaselineKind, RebaselineOutcome
from portfolio.choices import Cadence, Direction


class RebaselineRequest(AppendOnlyModel):
    """A request to the board about a locked use case's business metrics: move one metric's
    goalposts (``change``), add a business metric with its goalposts (``add``: ``metric`` is
    empty, the ``new_`` values describe it) or retire one (``retire``: the ``old_`` values are
    its goalposts as they stood). Old and new values stay on the record."""

    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=8,
        choices=RebaselineKind.choices,
        default=RebaselineKind.CHANGE,
    )
    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="rebaseline_requests",
    )
    metric = models.ForeignKey(
        "portfolio.Metric",
        verbose_name=_("metric"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rebaseline_requests",
    )
    old_baseline = models.DecimalField(
        verbose_name=_("old baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    old_target = models.DecimalField(
        verbose_name=_("old target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    new_baseline = models.DecimalField(
        verbose_name=_("new baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    new_target = models.DecimalField(
        verbose_name=_("new target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # The other goalposts G0 locks; blank on requests recorded before they could move.
    old_name = models.CharField(verbose_name=_("old name"), max_length=120, blank=True)
    new_name = models.CharField(verbose_name=_("new name"), max_length=120, blank=True)
    old_unit = models.CharField(verbose_name=_("old unit"), max_length=40, blank=True)
    new_unit = models.CharField(verbose_name=_("new unit"), max_length=40, blank=True)
    old_direction = models.CharField(
        verbose_name=_("old direction"), max_length=8, choices=Direction.choices, blank=True
    )
    new_direction = models.CharField(
        verbose_name=_("new direction"), max_length=8, choices=Direction.choices, blank=True
    )
    old_cadence = models.CharField(
        verbose_name=_("old cadence"), max_length=12, choices=Cadence.choices, blank=True
    )
    new_cadence = models.CharField(
        verbose_name=_("new cadence"), max_length=12, choices=Cadence.choices, blank=True
    )
    reason = models.TextField(verbose_name=_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(verbose_name=_("requested at"))

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RebaselineKind.ADD, metric__isnull=True)
                | (~Q(kind=RebaselineKind.ADD) & Q(metric__isnull=False)),
                name="rebaseline_add_has_no_metric_others_one",
            ),
        ]
        verbose_name = _("re-baselining request")
        verbose_name_plural = _("re-baselining requests")

    def __str__(self) -> str:
        if self.kind == RebaselineKind.ADD:
            return f"Add metric {self.new_name!r} to use case {self.use_case_id}"
        if self.kind == RebaselineKind.RETIRE:
            return f"Retire {self.metric}"
        return f"Re-baseline {self.metric}: {self.old_baseline}→{self.new_baseline}"


class RebaselinePending(models.Model):
    """The one request waiting for the board on a metric: the database allows one row per
    metric (and, for a metric to add, one per use case and name), so a second request while
    one waits is refused whatever the timing. The row goes when the request is decided; the
    request and its decision stay."""

    metric = models.OneToOneField(
        "portfolio.Metric",
        verbose_name=_("metric"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pending_rebaseline",
    )
    request = models.OneToOneField(
        RebaselineRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="pending",
    )
    # For a metric to add: the use case and the name it would take.
    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    metric_name = models.CharField(verbose_name=_("metric name"), max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "use_case",
                Lower("metric_name"),
                condition=Q(metric__isnull=True),
                name="one_pending_add_per_use_case_and_name",
            ),
        ]
        verbose_name = _("pending re-baselining")
        verbose_name_plural = _("pending re-baselinings")

    def __str__(self) -> str:
        return f"Pending: {self.request}"


class RebaselineDecision(AppendOnlyModel):
    """The board's answer to a re-baselining request (approved requests are applied)."""

    request = models.OneToOneField(
        RebaselineRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    board = models.ForeignKey(
        "governance.Board", verbose_name=_("board"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(
        verbose_name=_("outcome"), max_length=8, choices=RebaselineOutcome.choices
    )
    comment = models.TextField(verbose_name=_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"))
    created_metric = models.ForeignKey(
        "portfolio.Metric",
        verbose_name=_("created metric"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For an approved request to add a metric: the metric it added."),
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("re-baselining decision")
        verbose_name_plural = _("re-baselining decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.request}"
