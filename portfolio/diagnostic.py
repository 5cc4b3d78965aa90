"""The six-line stall diagnostic (PRODUCT.md), computed from plain data with no I/O.

Each line is green, yellow or red with the reason in words; the pilot-to-scale plan does
not apply before pilot and then counts as neither. Three or more red lines mean a stall in
progress.

Reading frequency (metric integrity): a business metric's interval is the median of the days
between its consecutive readings; with a single reading, its declared cadence. "At least
monthly" is an interval of at most ``MONTHLY_DAYS``; "quarterly or less often" is an interval
of at least ``QUARTERLY_DAYS``. Feedback loop latency is yellow up to the same ``MONTHLY_DAYS``:
"monthly" and "quarterly" mean the same days on every line, so two lines never disagree
about one metric (PRODUCT.md, "Stall diagnostic").
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

GREEN, YELLOW, RED, NOT_APPLICABLE = "green", "yellow", "red", "not_applicable"
STALL_RED_LINES = 3
MONTHLY_DAYS = 31
QUARTERLY_DAYS = 90
FEEDBACK_GREEN_DAYS = 7
FEEDBACK_YELLOW_DAYS = MONTHLY_DAYS
# States from which the pilot-to-scale plan is expected.
PLAN_STAGES = frozenset({"pilot", "scale", "extend", "retired"})

LINES = (
    ("outcome_ownership", gettext_lazy("Outcome ownership")),
    ("data_reality", gettext_lazy("Data and infrastructure reality")),
    ("metric_integrity", gettext_lazy("Metric integrity")),
    ("alignment", gettext_lazy("Sponsor-operator alignment")),
    ("scale_plan", gettext_lazy("Pilot-to-scale plan")),
    ("feedback_latency", gettext_lazy("Feedback loop latency")),
)


@dataclass(frozen=True)
class Gap:
    closing_work: str = ""
    work_owner: str = ""
    owner_committed: bool = False
    blocks_production: bool = False

    @property
    def has_committed_work(self) -> bool:
        return bool(self.closing_work.strip() and self.work_owner.strip() and self.owner_committed)


@dataclass(frozen=True)
class BusinessMetric:
    name: str
    reading_gaps_days: Sequence[float] = ()  # days between consecutive readings
    readings: int = 0
    cadence_days: int | None = None


@dataclass(frozen=True)
class DiagnosticInput:
    """What the diagnostic looks at for one use case."""

    state: str
    owner_named: bool = False
    owner_controls: str = ""  # yes / partly / no / "" (not stated)
    data_assumed: str = ""
    data_existing: str = ""
    gaps: Sequence[Gap] = ()
    business_metrics: Sequence[BusinessMetric] = ()
    unpaired_technical_metrics: Sequence[str] = ()
    success_definition: str = ""
    sponsor_signed: bool = False
    operator_signed: bool = False
    # (who, signed) per sign-off the stage needs, when configured; None: sponsor and operator.
    sign_offs: Sequence[tuple[str, bool]] | None = None
    scale_memo_status: str | None = None  # None, "draft" or "final"
    state_before_hold: str = ""


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    colour: str
    reason: str


@dataclass(frozen=True)
class Diagnostic:
    lines: tuple[Line, ...] = field(default_factory=tuple)

    @property
    def red_lines(self) -> int:
        return sum(1 for line in self.lines if line.colour == RED)

    @property
    def stalled(self) -> bool:
        return self.red_lines >= STALL_RED_LINES

    def as_dict(self) -> dict:
        return {
            "lines": [line.__dict__ for line in self.lines],
            "red_lines": self.red_lines,
            "stalled": self.stalled,
        }


def outcome_ownership(data: DiagnosticInput) -> tuple[str, str]:
    """A named owner who controls the resources (green), depends on others (yellow), none (red)."""
    if not data.owner_named:
        return RED, _("No single named outcome owner.")
    if data.owner_controls == "yes":
        return GREEN, _("A named owner who controls the resources needed.")
    if data.owner_controls in ("partly", "no"):
        if data.owner_controls == "partly":
            return YELLOW, _(
                "The named owner does only partly control the resources; depends on others."
            )
        return YELLOW, _("The named owner does not control the resources; depends on others.")
    return YELLOW, _("A named owner, but whether they control the resources is not stated.")


def data_reality(data: DiagnosticInput) -> tuple[str, str]:
    """Recorded with every gap's work committed (green), a non-blocking gap open (yellow),
    nothing recorded or a blocking gap without committed work (red)."""
    if not (data.data_assumed.strip() and data.data_existing.strip()):
        return RED, _("No assessment of assumed versus existing data is recorded.")
    blocking = [g for g in data.gaps if g.blocks_production and not g.has_committed_work]
    if blocking:
        return RED, _("%(count)s gap(s) blocking production without committed work.") % {
            "count": len(blocking)
        }
    open_gaps = [g for g in data.gaps if not g.has_committed_work]
    if open_gaps:
        return YELLOW, _("%(count)s non-blocking gap(s) lack named work or a committed owner.") % {
            "count": len(open_gaps)
        }
    return GREEN, _("Assessment recorded; every gap has named work with a committed owner.")


def reading_interval(metric: BusinessMetric) -> float | None:
    """Typical days between readings: median gap, or the declared cadence for one reading."""
    if metric.reading_gaps_days:
        return median(metric.reading_gaps_days)
    if metric.readings >= 1:
        return metric.cadence_days
    return None


def metric_integrity(data: DiagnosticInput) -> tuple[str, str]:
    """Business metrics present, technical ones paired, each read at least monthly."""
    if not data.business_metrics:
        return RED, _("No business outcome metric.")
    if data.unpaired_technical_metrics:
        names = ", ".join(data.unpaired_technical_metrics)
        return RED, _("Technical metric(s) not paired with a business metric: %(names)s.") % {
            "names": names
        }
    intervals = {m.name: reading_interval(m) for m in data.business_metrics}
    unread = [name for name, days in intervals.items() if days is None]
    if unread:
        return RED, _("Business metric(s) with no readings: %(unread)s.") % {
            "unread": ", ".join(unread)
        }
    rare = [name for name, days in intervals.items() if days >= QUARTERLY_DAYS]
    if rare:
        return RED, _("Business metric(s) read only quarterly or less often: %(rare)s.") % {
            "rare": ", ".join(rare)
        }
    slow = [name for name, days in intervals.items() if days > MONTHLY_DAYS]
    if slow:
        return YELLOW, _("Business metric(s) read less often than monthly: %(slow)s.") % {
            "slow": ", ".join(slow)
        }
    return GREEN, _("Business metrics present, all paired, each read at least monthly.")


def _names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return str(names[0])
    return _("%(names)s and %(last)s") % {
        "names": ", ".join(str(n) for n in names[:-1]),
        "last": names[-1],
    }


def alignment(data: DiagnosticInput) -> tuple[str, str]:
    """A joint definition of success signed off by everyone the stage needs (green), some
    (yellow), none (red); by default the sponsor and the operator."""
    if not data.success_definition.strip():
        return RED, _("No joint definition of success.")
    parties = data.sign_offs
    if parties is None:
        parties = ((_("sponsor"), data.sponsor_signed), (_("operator"), data.operator_signed))
    signed = [who for who, done in parties if done]
    everyone = [who for who, _done in parties]
    if len(signed) == len(everyone):
        if len(everyone) == 1:
            sentence = _("%(names)s signed off the definition of success.")
        elif len(everyone) == 2:
            sentence = _("%(names)s both signed off the definition of success.")
        else:
            sentence = _("%(names)s all signed off the definition of success.")
        subject = _names(everyone)
        return GREEN, sentence % {"names": subject[:1].upper() + subject[1:]}
    if signed:
        return YELLOW, _("Only the %(names)s signed off the definition of success.") % {
            "names": _names(signed)
        }
    if len(everyone) == 1:
        return RED, _("The %(name)s has not signed off the definition of success.") % {
            "name": everyone[0]
        }
    if len(everyone) == 2:
        return RED, _("Neither %(first)s nor %(second)s signed off the definition of success.") % {
            "first": everyone[0],
            "second": everyone[1],
        }
    return RED, _("None of %(names)s signed off the definition of success.") % {
        "names": _names(everyone)
    }


def scale_plan(data: DiagnosticInput) -> tuple[str, str]:
    """From pilot on: a final scale memo (green), a draft (yellow), none (red)."""
    stage = data.state_before_hold if data.state == "on_hold" else data.state
    if stage not in PLAN_STAGES:
        return NOT_APPLICABLE, _("Not yet in pilot; no scale plan expected.")
    if data.scale_memo_status == "final":
        return GREEN, _("A final scale memo.")
    if data.scale_memo_status == "draft":
        return YELLOW, _("The scale memo is a draft.")
    return RED, _("No scale memo.")


def feedback_latency(data: DiagnosticInput) -> tuple[str, str]:
    """Median days between consecutive business readings: <=7 green, <=31 yellow, else red."""
    gaps = [g for m in data.business_metrics for g in m.reading_gaps_days]
    if not gaps:
        return RED, _("Fewer than two readings of any business metric: no feedback loop.")
    days = median(gaps)
    if days <= FEEDBACK_GREEN_DAYS:
        colour, sentence = (
            GREEN,
            _("Median %(days)s days between business metric readings (at most %(limit)s)."),
        )
    elif days <= FEEDBACK_YELLOW_DAYS:
        colour, sentence = (
            YELLOW,
            _("Median %(days)s days between business metric readings (at most %(limit)s)."),
        )
    else:
        colour, sentence = (
            RED,
            _("Median %(days)s days between business metric readings (more than %(limit)s)."),
        )
    limit = FEEDBACK_GREEN_DAYS if colour == GREEN else FEEDBACK_YELLOW_DAYS
    return colour, sentence % {"days": f"{days:.1f}", "limit": limit}


RULES = {
    "outcome_ownership": outcome_ownership,
    "data_reality": data_reality,
    "metric_integrity": metric_integrity,
    "alignment": alignment,
    "scale_plan": scale_plan,
    "feedback_latency": feedback_latency,
}


def diagnose(data: DiagnosticInput) -> Diagnostic:
    """All six lines for one use case, in the order PRODUCT.md lists them."""
    lines = []
    for key, title in LINES:
        colour, reason = RULES[key](data)
        lines.append(Line(key, title, colour, reason))
    return Diagnostic(tuple(lines))
