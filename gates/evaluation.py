"""The evaluation engine: (criteria, evidence values) -> scorecard. Pure; no database.

A gate passes when every must-meet criterion holds and the weighted should-meet score
reaches the pass mark. The recommendation is NO-GO when a must-meet criterion fails (a
knock-out stands whatever else is missing), INSUFFICIENT EVIDENCE when any criterion has no
data, else GO or NO-GO by the score.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from gates.choices import Comparator, Outcome, Recommendation


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion as the engine sees it; ``key`` names its value in the values mapping."""

    key: str
    label: str
    measurable: str
    comparator: str
    threshold: float
    must_meet: bool
    weight: float = 1.0
    threshold_high: float | None = None
    metric_name: str = ""
    artifact_kind: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    measurable: str
    comparator: str
    threshold: float
    threshold_high: float | None
    must_meet: bool
    weight: float
    value: float | None
    outcome: str
    contribution: float | None
    sources: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Scorecard:
    rows: tuple[Row, ...]
    score: float
    pass_mark: float
    recommendation: str

    def as_rows(self) -> list[dict]:
        """JSON-ready rows for the frozen snapshot."""
        return [
            {**asdict(row), "value": _json_number(row.value), "sources": list(row.sources)}
            for row in self.rows
        ]


def _json_number(value: float | None):
    # JSON has no infinity: keep it readable rather than lose it.
    return value if value is None or math.isfinite(value) else str(value)


def clean(value) -> float | None:
    """A value as a float, or None (no data) when missing, NaN or not a number."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if math.isnan(number) else number


def judge(comparator: str, value: float | None, threshold: float, high: float | None) -> str:
    """Pass, fail or no data for one value; values at a threshold follow the comparator:
    at least and at most include the threshold, between includes both bounds."""
    if value is None:
        return Outcome.NO_DATA
    if comparator == Comparator.AT_LEAST:
        passed = value >= threshold
    elif comparator == Comparator.AT_MOST:
        passed = value <= threshold
    elif comparator == Comparator.BETWEEN:
        passed = high is not None and threshold <= value <= high
    else:
        raise ValueError(f"unknown comparator {comparator!r}")
    return Outcome.PASS if passed else Outcome.FAIL


def _shares(weights: Sequence[float]) -> list[float]:
    """Weights as shares of their total, safe for zero, huge and non-finite weights."""
    cleaned = [w if (w is not None and math.isfinite(w) and w > 0) else 0.0 for w in weights]
    largest = max(cleaned, default=0.0)
    if largest <= 0:
        return [0.0 for _ in cleaned]
    scaled = [w / largest for w in cleaned]  # at most 1 each: the sum cannot overflow
    total = math.fsum(scaled)
    return [w / total for w in scaled]


def evaluate(
    criteria: Sequence[CriterionSpec],
    values: Mapping[str, object],
    *,
    pass_mark: float = 70.0,
    sources: Mapping[str, Sequence] | None = None,
) -> Scorecard:
    """Judge every criterion against its value and recommend GO, NO-GO or INSUFFICIENT
    EVIDENCE. Never raises on odd values: NaN counts as no data, infinities compare."""
    sources = sources or {}
    should = [c for c in criteria if not c.must_meet]
    shares = dict(zip((c.key for c in should), _shares([c.weight for c in should]), strict=True))
    rows = []
    for criterion in criteria:
        value = clean(values.get(criterion.key))
        outcome = judge(criterion.comparator, value, criterion.threshold, criterion.threshold_high)
        contribution = None
        if not criterion.must_meet:
            share = shares[criterion.key] * 100
            contribution = share if outcome == Outcome.PASS else 0.0
        rows.append(
            Row(
                key=criterion.key,
                label=criterion.label,
                measurable=criterion.measurable,
                comparator=criterion.comparator,
                threshold=criterion.threshold,
                threshold_high=criterion.threshold_high,
                must_meet=criterion.must_meet,
                weight=criterion.weight,
                value=value,
                outcome=outcome,
                contribution=contribution,
                sources=tuple(sources.get(criterion.key, ())),
            )
        )
    # Without weighed criteria the must-meet ones decide alone: the score is full.
    weighed = any(shares.values())
    score = math.fsum(r.contribution or 0.0 for r in rows) if weighed else 100.0
    score = min(max(score, 0.0), 100.0)
    if any(r.must_meet and r.outcome == Outcome.FAIL for r in rows):
        recommendation = Recommendation.NO_GO
    elif any(r.outcome == Outcome.NO_DATA for r in rows):
        recommendation = Recommendation.INSUFFICIENT_EVIDENCE
    elif score >= pass_mark - 1e-9:  # float shares: 7 of 10 equal weights is 70%
        recommendation = Recommendation.GO
    else:
        recommendation = Recommendation.NO_GO
    return Scorecard(
        rows=tuple(rows), score=round(score, 2), pass_mark=pass_mark, recommendation=recommendation
    )
