"""A frozen scorecard as a person reads it: yes/no where the measurable is yes/no, units on
every figure, and the reason for the recommendation next to the score. Pure; no database.

The pages and the board pack both render these rows, so they read the same numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

from gates.choices import Comparator, Measurable, Outcome, Recommendation
from portfolio.display import figure

# Measurables whose value is 1 (yes) or 0 (no).
YES_NO = {
    Measurable.OWNER_NAMED,
    Measurable.DATA_REALITY_DOCUMENTED,
    Measurable.RISK_ACCEPTABLE,
    Measurable.HUMAN_OVERSIGHT_OK,
    Measurable.SCENARIOS_NAMED,
}
TIMES = "\N{MULTIPLICATION SIGN}"
SHARES = {Measurable.LIFT, Measurable.TARGET_ATTAINMENT, Measurable.PILOT_TIME_BOX_USED}
UNITS = {
    Measurable.EXPECTED_ROI: TIMES,
    Measurable.REALISED_ROI: TIMES,
    Measurable.PAYBACK_MONTHS: "months",
    Measurable.DAYS_IN_PILOT: "days",
    Measurable.MEDIAN_DAYS_BETWEEN_READINGS: "days",
    Measurable.RED_DIAGNOSTIC_LINES: "red lines",
    Measurable.GOALPOSTS_SET: "metrics",
    Measurable.UNPAIRED_TECHNICAL_METRICS: "metrics",
}
ARTIFACT = {0.0: "none", 0.5: "draft", 1.0: "final"}
OUTCOMES = {Outcome.PASS: "pass", Outcome.FAIL: "fail", Outcome.NO_DATA: "no data"}


@dataclass(frozen=True)
class ScoreRow:
    label: str
    kind: str
    measured: str
    threshold: str
    outcome: str
    outcome_label: str
    must_meet: bool
    sources: tuple[str, ...] = ()


def _source_text(source: dict) -> str:
    """One frozen reading: "Claim cycle time 6.5 on 2026-03-01"."""
    if "metric" in source and "value" in source:
        day = str(source.get("measured_at", ""))[:10]
        value = f"{float(source['value']):,.2f}".rstrip("0").rstrip(".")
        return f"{source['metric']} {value}" + (f" on {day}" if day else "")
    return ", ".join(f"{key}: {value}" for key, value in source.items() if not key.endswith("id"))


def _digits(value, threshold, places: int) -> str:
    """The figure rounded for reading, with the digits that keep it off a threshold it does
    not meet exactly (portfolio.display): 0.996 against 1 reads "0.996", never "1"."""
    text = figure(value, threshold, places=places)
    sign = text[0] if text[:1] in "<>" else ""
    whole, _, fraction = text.lstrip("<>").partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{int(whole):,}" + (f".{fraction}" if fraction else "")


def _number(value, measurable: str, threshold=None) -> str:
    if measurable in SHARES:
        share = None if threshold is None else Decimal(str(threshold)) * 100
        return _digits(Decimal(str(value)) * 100, share, 0) + "%"
    unit = UNITS.get(measurable, "")
    text = _digits(value, threshold, 2)
    if value == 1 and unit.endswith("s") and unit != "days":
        unit = unit[:-1]
    elif value == 1 and unit == "days":
        unit = "day"
    if unit == TIMES:
        return f"{text}{TIMES}"
    return f"{text} {unit}".strip()


def measured_text(measurable: str, value, threshold=None) -> str:
    """The measured value in words or with its unit; "no data" when missing. Near
    ``threshold`` it keeps the digits that show on which side the exact value lies."""
    if value is None:
        return "no data"
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if value.is_infinite():
        return "never" if measurable == Measurable.PAYBACK_MONTHS else str(value)
    if measurable in YES_NO:
        return "yes" if value >= 1 else "no"
    if measurable == Measurable.ARTIFACT_STATUS:
        return ARTIFACT.get(float(value), _number(value, measurable))
    return _number(value, measurable, threshold)


def _nearest_threshold(row: dict):
    low, high = row.get("threshold"), row.get("threshold_high")
    value = row.get("value_exact") or row.get("value")
    if row.get("comparator") != Comparator.BETWEEN or high is None or value is None:
        return low
    try:
        value = Decimal(str(value))
        return high if abs(value - Decimal(str(high))) < abs(value - Decimal(str(low))) else low
    except ArithmeticError:
        return low


def threshold_text(row: dict) -> str:
    """What the criterion asks, in the measurable's own terms ("yes", "≤ 24 months")."""
    measurable, low, high = row["measurable"], float(row["threshold"]), row["threshold_high"]
    comparator = row["comparator"]
    if measurable in YES_NO:
        return "yes" if comparator == Comparator.AT_LEAST and low > 0 else "no"
    if measurable == Measurable.ARTIFACT_STATUS and comparator == Comparator.AT_LEAST:
        return f"{ARTIFACT.get(low, _number(low, measurable))} or better"
    if comparator == Comparator.BETWEEN and high is not None:
        return f"{_number(low, measurable)} to {_number(float(high), measurable)}"
    sign = "≥" if comparator == Comparator.AT_LEAST else "≤"
    return f"{sign} {_number(low, measurable)}"


def rows_of(snapshot) -> list[ScoreRow]:
    return [
        ScoreRow(
            label=row["label"],
            kind=(
                "must meet"
                if row["must_meet"]
                else f"should meet (weight {float(row['weight']):g})"
            ),
            measured=measured_text(
                row["measurable"], row.get("value_exact") or row["value"], _nearest_threshold(row)
            ),
            threshold=threshold_text(row),
            outcome=row["outcome"],
            outcome_label=OUTCOMES.get(row["outcome"], row["outcome"]),
            must_meet=row["must_meet"],
            sources=tuple(_source_text(source) for source in row.get("sources") or ()),
        )
        for row in snapshot.rows
    ]


def reason_of(snapshot) -> str:
    """Why the recommendation is what it is, in one sentence."""
    rows = snapshot.rows
    failed = [row["label"] for row in rows if row["must_meet"] and row["outcome"] == Outcome.FAIL]
    missing = [row["label"] for row in rows if row["outcome"] == Outcome.NO_DATA]
    score, mark = Decimal(snapshot.score), Decimal(snapshot.pass_mark)
    if snapshot.recommendation == Recommendation.NO_GO and failed:
        return "A must-meet criterion fails: " + "; ".join(failed) + "."
    if snapshot.recommendation == Recommendation.INSUFFICIENT_EVIDENCE:
        return "No data for: " + "; ".join(missing) + "."
    if snapshot.recommendation == Recommendation.NO_GO:
        return f"The score {score:.0f}% is below the pass mark of {mark:.0f}%."
    return f"Every must-meet criterion holds and the score {score:.0f}% reaches {mark:.0f}%."


def scorecard_view(snapshot) -> dict | None:
    """Everything the scorecard include shows, or None without a snapshot."""
    if snapshot is None:
        return None
    return {
        "snapshot": snapshot,
        "rows": rows_of(snapshot),
        "reason": reason_of(snapshot),
        "recommendation": snapshot.get_recommendation_display(),
        "go": snapshot.recommendation == Recommendation.GO,
    }
