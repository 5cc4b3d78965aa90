"""A frozen scorecard as a person reads it: yes/no where the measurable is yes/no, units on
every figure, and the reason for the recommendation next to the score. Pure; no database.

The pages and the board pack both render these rows, so they read the same numbers, in the
language and with the number separators of the person reading.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext_lazy

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
# A unit as (singular, plural) for ngettext, read in the reader's language.
UNITS = {
    Measurable.EXPECTED_ROI: TIMES,
    Measurable.REALISED_ROI: TIMES,
    Measurable.PAYBACK_MONTHS: ("%(value)s month", "%(value)s months"),
    Measurable.DAYS_IN_PILOT: ("%(value)s day", "%(value)s days"),
    Measurable.MEDIAN_DAYS_BETWEEN_READINGS: ("%(value)s day", "%(value)s days"),
    Measurable.RED_DIAGNOSTIC_LINES: ("%(value)s red line", "%(value)s red lines"),
    Measurable.GOALPOSTS_SET: ("%(value)s metric", "%(value)s metrics"),
    Measurable.UNPAIRED_TECHNICAL_METRICS: ("%(value)s metric", "%(value)s metrics"),
}
# Marked for extraction (never evaluated here); _number passes UNITS to ngettext.
_UNIT_STRINGS = (
    ngettext_lazy("%(value)s month", "%(value)s months", "value"),
    ngettext_lazy("%(value)s day", "%(value)s days", "value"),
    ngettext_lazy("%(value)s red line", "%(value)s red lines", "value"),
    ngettext_lazy("%(value)s metric", "%(value)s metrics", "value"),
)
ARTIFACT = {
    0.0: pgettext_lazy("artifact status", "none"),
    0.5: pgettext_lazy("artifact status", "draft"),
    1.0: pgettext_lazy("artifact status", "final"),
}
OUTCOMES = {
    Outcome.PASS: gettext_lazy("pass"),
    Outcome.FAIL: gettext_lazy("fail"),
    Outcome.NO_DATA: gettext_lazy("no data"),
}


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
        value = formats.number_format(
            Decimal(f"{float(source['value']):.2f}").normalize(), use_l10n=True, force_grouping=True
        )
        if not day:
            return f"{source['metric']} {value}"
        return _("%(metric)s %(value)s on %(day)s") % {
            "metric": source["metric"],
            "value": value,
            "day": day,
        }
    return ", ".join(f"{key}: {value}" for key, value in source.items() if not key.endswith("id"))


def _digits(value, threshold, places: int) -> str:
    """The figure rounded for reading, with the digits that keep it off a threshold it does
    not meet exactly (portfolio.display): 0.996 against 1 reads "0.996", never "1"."""
    text = figure(value, threshold, places=places)
    sign = text[0] if text[:1] in "<>" else ""
    whole, _point, fraction = text.lstrip("<>").partition(".")
    fraction = fraction.rstrip("0")
    number = Decimal(f"{whole}.{fraction}" if fraction else whole)
    return sign + formats.number_format(
        number, decimal_pos=len(fraction), use_l10n=True, force_grouping=True
    )


def _number(value, measurable: str, threshold=None) -> str:
    if measurable in SHARES:
        share = None if threshold is None else Decimal(str(threshold)) * 100
        return _digits(Decimal(str(value)) * 100, share, 0) + "%"
    unit = UNITS.get(measurable, "")
    text = _digits(value, threshold, 2)
    if unit == TIMES:
        return f"{text}{TIMES}"
    if not unit:
        return text
    singular, plural = unit
    return ngettext(singular, plural, 1 if value == 1 else 2) % {"value": text}


def measured_text(measurable: str, value, threshold=None) -> str:
    """The measured value in words or with its unit; "no data" when missing. Near
    ``threshold`` it keeps the digits that show on which side the exact value lies."""
    if value is None:
        return _("no data")
    try:
        value = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if value.is_infinite():
        return _("never") if measurable == Measurable.PAYBACK_MONTHS else str(value)
    if measurable in YES_NO:
        return _("yes") if value >= 1 else _("no")
    if measurable == Measurable.ARTIFACT_STATUS:
        return str(ARTIFACT.get(float(value), _number(value, measurable)))
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
        return _("yes") if comparator == Comparator.AT_LEAST and low > 0 else _("no")
    if measurable == Measurable.ARTIFACT_STATUS and comparator == Comparator.AT_LEAST:
        return _("%(status)s or better") % {"status": ARTIFACT.get(low, _number(low, measurable))}
    if comparator == Comparator.BETWEEN and high is not None:
        return _("%(low)s to %(high)s") % {
            "low": _number(low, measurable),
            "high": _number(float(high), measurable),
        }
    sign = "≥" if comparator == Comparator.AT_LEAST else "≤"
    return f"{sign} {_number(low, measurable)}"


def rows_of(snapshot) -> list[ScoreRow]:
    return [
        ScoreRow(
            label=row["label"],
            kind=(
                _("must meet")
                if row["must_meet"]
                else _("should meet (weight %(weight)s)")
                % {"weight": formats.number_format(Decimal(f"{float(row['weight']):g}"))}
            ),
            measured=measured_text(
                row["measurable"], row.get("value_exact") or row["value"], _nearest_threshold(row)
            ),
            threshold=threshold_text(row),
            outcome=row["outcome"],
            outcome_label=str(OUTCOMES.get(row["outcome"], row["outcome"])),
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
        return _("A must-meet criterion fails: %(failed)s.") % {"failed": "; ".join(failed)}
    if snapshot.recommendation == Recommendation.INSUFFICIENT_EVIDENCE:
        return _("No data for: %(missing)s.") % {"missing": "; ".join(missing)}
    figures = {"score": f"{score:.0f}", "mark": f"{mark:.0f}"}
    if snapshot.recommendation == Recommendation.NO_GO:
        return _("The score %(score)s%% is below the pass mark of %(mark)s%%.") % figures
    return (
        _("Every must-meet criterion holds and the score %(score)s%% reaches %(mark)s%%.") % figures
    )


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
