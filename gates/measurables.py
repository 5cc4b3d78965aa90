"""The catalogue of measurables: small pure functions over the evidence of one use case.

Each function takes the loaded ``Evidence`` (see gates.selectors.evidence_load, a fixed
number of queries) and the criterion's parameters, and returns a ``Measured``: the value
(``None`` when there is no data) and the sources it came from, frozen in the snapshot.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import median

from gates import registry
from gates.choices import Measurable
from portfolio import economics
from portfolio.choices import ArtifactStatus, Direction, MetricKind, RiskTier

SECONDS_PER_DAY = Decimal(86400)
INFINITY = Decimal("Infinity")
ONE, ZERO = Decimal(1), Decimal(0)


@dataclass(frozen=True)
class Reading:
    id: int
    value: Decimal
    measured_at: datetime


@dataclass(frozen=True)
class MetricEvidence:
    id: int
    name: str
    kind: str
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    paired_with_id: int | None
    readings: tuple[Reading, ...] = ()

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None


@dataclass(frozen=True)
class Evidence:
    """Everything the measurables read, loaded up to the moment ``at``."""

    at: datetime
    use_case: Mapping[str, object]
    metrics: tuple[MetricEvidence, ...] = ()
    artifacts: Mapping[str, str] = field(default_factory=dict)
    gaps: tuple[Mapping[str, object], ...] = ()
    pilot_entered_at: datetime | None = None
    pilot_left_at: datetime | None = None
    red_diagnostic_lines: int | None = None
    # What the measurables registered by higher apps read (gates.registry), by key.
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def business_metrics(self) -> tuple[MetricEvidence, ...]:
        return tuple(m for m in self.metrics if m.kind == MetricKind.BUSINESS)


@dataclass(frozen=True)
class Measured:
    """A measured value, exact (a Decimal; infinity for "never"), or None for no data."""

    value: Decimal | None
    sources: tuple[dict, ...] = ()


NO_DATA = Measured(None)


def _flag(condition: bool) -> Measured:
    return Measured(ONE if condition else ZERO)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _exact(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _days(delta) -> Decimal:
    """A timedelta in days, exactly (no rounding before a threshold compares it)."""
    seconds = Decimal(delta.days * 86400 + delta.seconds) + Decimal(delta.microseconds) / 10**6
    return seconds / SECONDS_PER_DAY


def _source(metric: MetricEvidence, reading: Reading) -> dict:
    return {
        "metric_id": metric.id,
        "metric": metric.name,
        "reading_id": reading.id,
        "value": float(reading.value),
        "value_exact": str(reading.value),
        "measured_at": reading.measured_at.isoformat(),
    }


def _business_metric(evidence: Evidence, name: str) -> MetricEvidence | None:
    business = evidence.business_metrics
    if name:
        return next((m for m in business if m.name.casefold() == name.casefold()), None)
    return business[0] if business else None


def expected_roi(evidence: Evidence, **_) -> Measured:
    """Projected first-year ROI from the intake's expected benefit (portfolio.economics)."""
    return _roi(evidence, "expected_benefit_yearly")


def realised_roi(evidence: Evidence, **_) -> Measured:
    """First-year ROI from the measured realised benefit."""
    return _roi(evidence, "realised_benefit_yearly")


def _roi(evidence: Evidence, benefit: str) -> Measured:
    fields = evidence.use_case
    value = economics.roi(
        benefit_yearly=fields.get(benefit),
        build_cost=fields.get("build_cost"),
        run_cost_yearly=fields.get("run_cost_yearly"),
    )
    return Measured(value)


def payback_months(evidence: Evidence, **_) -> Measured:
    """Months until the net yearly benefit repays the build cost.

    A use case whose run cost eats its benefit never pays back: that is an infinite payback
    (it fails an "at most" threshold), not missing data. No data only when a figure is missing.
    """
    fields = evidence.use_case
    figures = {
        "benefit_yearly": fields.get("expected_benefit_yearly"),
        "build_cost": fields.get("build_cost"),
        "run_cost_yearly": fields.get("run_cost_yearly"),
    }
    if any(value is None for value in figures.values()):
        return NO_DATA
    value = economics.payback_months(**figures)
    return Measured(INFINITY if value is None else value)


def lift(evidence: Evidence, *, metric_name: str = "", **_) -> Measured:
    """Share of the way from baseline to target covered by the latest reading.

    0 is the baseline, 1 the target, above 1 beyond it, negative the wrong way; the sign of
    (target - baseline) carries the metric's direction. No data without a reading or goalposts.
    """
    metric = _business_metric(evidence, metric_name)
    if metric is None or metric.latest is None:
        return NO_DATA
    if metric.baseline is None or metric.target is None or metric.target == metric.baseline:
        return NO_DATA
    value = (metric.latest.value - metric.baseline) / (metric.target - metric.baseline)
    return Measured(value, (_source(metric, metric.latest),))


def _met(metric: MetricEvidence, value: float) -> bool:
    if metric.direction == Direction.LOWER:
        return value <= metric.target
    return value >= metric.target


def target_attainment(evidence: Evidence, **_) -> Measured:
    """Share of the business metrics with a target whose latest reading has reached it.

    A metric with a target and no reading counts as not met; no data when none has a reading.
    """
    judged = [m for m in evidence.business_metrics if m.target is not None]
    read = [m for m in judged if m.latest is not None]
    if not read:
        return NO_DATA
    met = sum(1 for m in read if _met(m, m.latest.value))
    return Measured(Decimal(met) / len(judged), tuple(_source(m, m.latest) for m in read))


def adoption(evidence: Evidence, *, metric_name: str = "", **_) -> Measured:
    """Latest reading of the adoption metric (a technical metric named like 'adoption')."""
    wanted = (metric_name or "adoption").casefold()
    metric = next(
        (
            m
            for m in evidence.metrics
            if m.kind == MetricKind.TECHNICAL
            and (m.name.casefold() == wanted or (not metric_name and wanted in m.name.casefold()))
        ),
        None,
    )
    if metric is None or metric.latest is None:
        return NO_DATA
    return Measured(metric.latest.value, (_source(metric, metric.latest),))


def days_in_pilot(evidence: Evidence, **_) -> Measured:
    """Days from entering pilot to leaving it (or to now, while still in pilot)."""
    if evidence.pilot_entered_at is None:
        return NO_DATA
    end = evidence.pilot_left_at or evidence.at
    days = _days(end - evidence.pilot_entered_at)
    return Measured(days, ({"pilot_entered_at": evidence.pilot_entered_at.isoformat()},))


def pilot_time_box_used(evidence: Evidence, **_) -> Measured:
    """Days in pilot over the use case's own pilot time box (1.0 = the box is used up)."""
    days = days_in_pilot(evidence).value
    box = evidence.use_case.get("pilot_time_box_days")
    if days is None or not box:
        return NO_DATA
    return Measured(days / Decimal(box), ({"pilot_time_box_days": box},))


def median_reading_gap(evidence: Evidence, **_) -> Measured:
    """Median days between consecutive readings of the business metrics (feedback latency)."""
    gaps = [
        _days(later.measured_at - earlier.measured_at)
        for metric in evidence.business_metrics
        for earlier, later in zip(metric.readings, metric.readings[1:], strict=False)
    ]
    if not gaps:
        return NO_DATA
    return Measured(median(gaps), ({"gaps": len(gaps)},))


def red_diagnostic_lines(evidence: Evidence, **_) -> Measured:
    """Red lines of the stall diagnostic, as loaded by gates.evidence (placeholder source)."""
    return Measured(_exact(evidence.red_diagnostic_lines))


ARTIFACT_SCORE = {ArtifactStatus.DRAFT: Decimal("0.5"), ArtifactStatus.FINAL: ONE}


def artifact_status(evidence: Evidence, *, artifact_kind: str = "", **_) -> Measured:
    """0 when the artifact is missing, 0.5 for a draft, 1 when final."""
    status = evidence.artifacts.get(artifact_kind)
    return Measured(
        ARTIFACT_SCORE.get(status, ZERO), ({"artifact": artifact_kind, "status": status},)
    )


def metric_latest(evidence: Evidence, *, metric_name: str = "", **_) -> Measured:
    """The latest reading of a named business metric (the first one when unnamed)."""
    metric = _business_metric(evidence, metric_name)
    if metric is None or metric.latest is None:
        return NO_DATA
    return Measured(metric.latest.value, (_source(metric, metric.latest),))


def owner_named(evidence: Evidence, **_) -> Measured:
    """1 when one named person owns the outcome."""
    return _flag(evidence.use_case.get("outcome_owner_id") is not None)


def goalposts_set(evidence: Evidence, **_) -> Measured:
    """How many business metrics have both a baseline and a target."""
    return Measured(
        Decimal(sum(1 for m in evidence.business_metrics if None not in (m.baseline, m.target)))
    )


def unpaired_technical(evidence: Evidence, **_) -> Measured:
    """How many technical metrics name no business metric of the use case."""
    business = {m.id for m in evidence.business_metrics}
    return Measured(
        Decimal(
            sum(
                1
                for m in evidence.metrics
                if m.kind == MetricKind.TECHNICAL and m.paired_with_id not in business
            )
        )
    )


def data_reality(evidence: Evidence, **_) -> Measured:
    """1 when assumed and existing data are recorded and no blocking gap lacks committed work."""
    fields = evidence.use_case
    recorded = _text(fields.get("data_assumed")) and _text(fields.get("data_existing"))
    uncovered = any(
        gap["blocks_production"] and not (_text(gap["closing_work"]) and gap["owner_committed"])
        for gap in evidence.gaps
    )
    return _flag(recorded and not uncovered)


def risk_acceptable(evidence: Evidence, **_) -> Measured:
    """0 for an unacceptable risk tier (EU AI Act prohibited practice), else 1."""
    return _flag(evidence.use_case.get("risk_tier") != RiskTier.UNACCEPTABLE)


def human_oversight(evidence: Evidence, **_) -> Measured:
    """1 unless the use case is high risk and does not document human oversight."""
    fields = evidence.use_case
    return _flag(fields.get("risk_tier") != RiskTier.HIGH or _text(fields.get("human_oversight")))


def scenarios_named(evidence: Evidence, **_) -> Measured:
    """1 when the scenarios and the early-warning signs are both written down."""
    fields = evidence.use_case
    return _flag(_text(fields.get("scenarios")) and _text(fields.get("warning_signs")))


CATALOGUE: dict[str, Callable[..., Measured]] = {
    Measurable.EXPECTED_ROI: expected_roi,
    Measurable.REALISED_ROI: realised_roi,
    Measurable.PAYBACK_MONTHS: payback_months,
    Measurable.LIFT: lift,
    Measurable.TARGET_ATTAINMENT: target_attainment,
    Measurable.ADOPTION: adoption,
    Measurable.DAYS_IN_PILOT: days_in_pilot,
    Measurable.PILOT_TIME_BOX_USED: pilot_time_box_used,
    Measurable.MEDIAN_DAYS_BETWEEN_READINGS: median_reading_gap,
    Measurable.RED_DIAGNOSTIC_LINES: red_diagnostic_lines,
    Measurable.ARTIFACT_STATUS: artifact_status,
    Measurable.METRIC_LATEST: metric_latest,
    Measurable.OWNER_NAMED: owner_named,
    Measurable.GOALPOSTS_SET: goalposts_set,
    Measurable.UNPAIRED_TECHNICAL_METRICS: unpaired_technical,
    Measurable.DATA_REALITY_DOCUMENTED: data_reality,
    Measurable.RISK_ACCEPTABLE: risk_acceptable,
    Measurable.HUMAN_OVERSIGHT_OK: human_oversight,
    Measurable.SCENARIOS_NAMED: scenarios_named,
}


def measure(
    measurable: str, evidence: Evidence, *, metric_name: str = "", artifact_kind: str = ""
) -> Measured:
    """The value of one measurable for the evidence, with its sources."""
    function = CATALOGUE.get(measurable)
    if function is None:
        registered = registry.registered_measurables().get(measurable)
        if registered is None:
            return NO_DATA
        function = registered.function
    return function(evidence, metric_name=metric_name, artifact_kind=artifact_kind)


def as_decimal(value: Decimal | float | int | None) -> Decimal | None:
    """Figures from the database as exact Decimals for the measurables."""
    return _exact(value)
