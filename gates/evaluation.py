"""The evaluation engine: (criteria, evidence values) -> scorecard. Pure; no database.

A gate passes when every must-meet criterion holds and the weighted should-meet score
reaches the pass mark. The recommendation is NO-GO when a must-meet criterion fails (a
knock-out stands whatever else is missing), INSUFFICIENT EVIDENCE when any criterion has no
data, else GO or NO-GO by the score.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from gates.choices import Comparator, Outcome, Recommendation

HUNDRED = Decimal(100)
SCORE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion as the engine sees it; ``key`` names its value in the values mapping.

    Thresholds and weights may be given as Decimals (from the database), ints or floats;
    the engine compares them as exact Decimals.
    """

    key: str
    label: str
    measurable: str
    comparator: str
    threshold: Decimal | float
    must_meet: bool
    weight: Decimal | float = Decimal(1)
    threshold_high: Decimal | float | None = None
    metric_name: str = ""
    artifact_kind: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    measurable: str
    comparator: str
    threshold: Decimal
    threshold_high: Decimal | None
    must_meet: bool
    weight: Decimal
    value: Decimal | None
    outcome: str
    contribution: Decimal | None
    sources: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class Scorecard:
    rows: tuple[Row, ...]
    score: Decimal
    pass_mark: Decimal
    recommendation: str

    def as_rows(self) -> list[dict]:
        """JSON-ready rows for the frozen snapshot: numbers as JSON numbers, and the exact
        value that was judged as a string beside them (``value_exact``)."""
        return [
            {
                **asdict(row),
                "threshold": _json_number(row.threshold),
                "threshold_high": _json_number(row.threshold_high),
                "weight": _json_number(row.weight),
                "contribution": _json_number(row.contribution),
                "value": _json_number(row.value),
                "value_exact": None if row.value is None else str(row.value),
                "sources": list(row.sources),
            }
            for row in self.rows
        ]


def _json_number(value: Decimal | None):
    # JSON has no infinity: keep it readable rather than lose it.
    if value is None:
        return None
    if value.is_infinite():
        return "inf" if value > 0 else "-inf"
    number = float(value)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def clean(value) -> Decimal | None:
    """A value as an exact Decimal, or None (no data) when missing, NaN or not a number.

    A float becomes the Decimal of its shortest repr (0.996 is 0.996, not the binary
    neighbour); Decimals and ints are taken as they are.
    """
    if value is None:
        return None
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(str(value).strip())
    except (TypeError, ValueError, InvalidOperation):
        return None
    return None if number.is_nan() else number


def judge(comparator: str, value, threshold, high) -> str:
    """Pass, fail or no data for one value, compared exactly (no rounding); values at a
    threshold follow the comparator: at least and at most include the threshold, between
    includes both bounds."""
    value, threshold, high = clean(value), clean(threshold), clean(high)
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


def _weight(value) -> Decimal:
    """A usable weight: zero for missing, negative, non-finite or unreadable weights."""
    number = clean(value)
    if number is None or not number.is_finite() or number <= 0:
        return Decimal(0)
    return number


def evaluate(
    criteria: Sequence[CriterionSpec],
    values: Mapping[str, object],
    *,
    pass_mark: Decimal | float = Decimal(70),
    sources: Mapping[str, Sequence] | None = None,
) -> Scorecard:
    """Judge every criterion against its value and recommend GO, NO-GO or INSUFFICIENT
    EVIDENCE. Never raises on odd values: NaN counts as no data, infinities compare.
    Every comparison is exact: values, thresholds, weights and the pass mark as Decimals."""
    sources = sources or {}
    weights = {c.key: _weight(c.weight) for c in criteria if not c.must_meet}
    total = sum(weights.values(), Decimal(0))
    rows = []
    passing = Decimal(0)
    for criterion in criteria:
        value = clean(values.get(criterion.key))
        threshold, high = clean(criterion.threshold), clean(criterion.threshold_high)
        outcome = judge(criterion.comparator, value, threshold, high)
        contribution = None
        if not criterion.must_meet:
            weight = weights[criterion.key]
            if outcome == Outcome.PASS:
                passing += weight
            share = weight * HUNDRED / total if total else Decimal(0)
            contribution = share if outcome == Outcome.PASS else Decimal(0)
        rows.append(
            Row(
                key=criterion.key,
                label=criterion.label,
                measurable=criterion.measurable,
                comparator=criterion.comparator,
                threshold=threshold,
                threshold_high=high,
                must_meet=criterion.must_meet,
                weight=_weight(criterion.weight),
                value=value,
                outcome=outcome,
                contribution=contribution,
                sources=tuple(sources.get(criterion.key, ())),
            )
        )
    # Without weighed criteria the must-meet ones decide alone: the score is full. The score
    # is one division (passing weight over total weight), so all passing is exactly 100.
    score = passing * HUNDRED / total if total else HUNDRED
    score = min(max(score, Decimal(0)), HUNDRED)
    mark = clean(pass_mark) or Decimal(0)
    if any(r.must_meet and r.outcome == Outcome.FAIL for r in rows):
        recommendation = Recommendation.NO_GO
    elif any(r.outcome == Outcome.NO_DATA for r in rows):
        recommendation = Recommendation.INSUFFICIENT_EVIDENCE
    elif score >= mark:
        recommendation = Recommendation.GO
    else:
        recommendation = Recommendation.NO_GO
    return Scorecard(
        rows=tuple(rows),
        score=score.quantize(SCORE_PLACES),
        pass_mark=mark,
        recommendation=recommendation,
    )
