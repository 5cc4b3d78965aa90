"""The scorecard as a person reads it: yes/no, units, and the reason next to the score."""

from dataclasses import dataclass, field
from decimal import Decimal

from gates.choices import Comparator, Measurable, Outcome, Recommendation
from reports.scorecard import measured_text, reason_of, rows_of, threshold_text
from reports.templatetags.flywheel import money, shown_difference


@dataclass
class Snapshot:
    rows: list
    score: Decimal = Decimal("100")
    pass_mark: Decimal = Decimal("70")
    recommendation: str = Recommendation.GO
    sources: list = field(default_factory=list)

    def get_recommendation_display(self):
        return Recommendation(self.recommendation).label


def row(measurable, value, comparator=Comparator.AT_LEAST, threshold=1, **extra):
    return {
        "label": extra.pop("label", measurable),
        "measurable": measurable,
        "comparator": comparator,
        "threshold": threshold,
        "threshold_high": extra.pop("threshold_high", None),
        "must_meet": extra.pop("must_meet", True),
        "weight": 1,
        "value": value,
        "outcome": extra.pop("outcome", Outcome.PASS),
        "sources": extra.pop("sources", []),
    }


def test_yes_no_measurables_read_yes_and_no():
    assert measured_text(Measurable.OWNER_NAMED, 1.0) == "yes"
    assert measured_text(Measurable.OWNER_NAMED, 0.0) == "no"
    assert threshold_text(row(Measurable.OWNER_NAMED, 1.0)) == "yes"
    assert threshold_text(row(Measurable.RISK_ACCEPTABLE, 0.0, Comparator.AT_MOST, 0)) == "no"
    assert measured_text(Measurable.ARTIFACT_STATUS, 0.5) == "draft"
    assert threshold_text(row(Measurable.ARTIFACT_STATUS, 1.0, threshold=1)) == "final or better"


def test_every_figure_carries_its_unit():
    assert measured_text(Measurable.PAYBACK_MONTHS, 3.2) == "3.2 months"
    assert measured_text(Measurable.PAYBACK_MONTHS, 1) == "1 month"
    assert threshold_text(row(Measurable.PAYBACK_MONTHS, 3.2, Comparator.AT_MOST, 24)) == (
        "≤ 24 months"
    )
    assert measured_text(Measurable.EXPECTED_ROI, 2.5) == "2.5\N{MULTIPLICATION SIGN}"
    assert measured_text(Measurable.PILOT_TIME_BOX_USED, 0.85) == "85%"
    assert measured_text(Measurable.DAYS_IN_PILOT, 1234) == "1,234 days"
    assert measured_text(Measurable.LIFT, None) == "no data"
    between = row(Measurable.ADOPTION, 0.5, Comparator.BETWEEN, 0.2, threshold_high=0.8)
    assert threshold_text(between) == "0.2 to 0.8"


def test_a_no_go_names_the_failing_must_meet_beside_a_full_score():
    snapshot = Snapshot(
        rows=[
            row(Measurable.OWNER_NAMED, 0.0, label="A named outcome owner", outcome=Outcome.FAIL),
            row(Measurable.EXPECTED_ROI, 3.0, must_meet=False),
        ],
        recommendation=Recommendation.NO_GO,
    )
    assert reason_of(snapshot) == "A must-meet criterion fails: A named outcome owner."
    assert [r.outcome_label for r in rows_of(snapshot)] == ["fail", "pass"]


def test_a_score_below_the_pass_mark_is_the_reason_when_every_must_meet_holds():
    snapshot = Snapshot(
        rows=[row(Measurable.EXPECTED_ROI, 0.5, must_meet=False, outcome=Outcome.FAIL)],
        score=Decimal("69"),
        recommendation=Recommendation.NO_GO,
    )
    assert reason_of(snapshot) == "The score 69% is below the pass mark of 70%."


def test_missing_evidence_is_named():
    snapshot = Snapshot(
        rows=[row(Measurable.LIFT, None, label="Lift", outcome=Outcome.NO_DATA)],
        recommendation=Recommendation.INSUFFICIENT_EVIDENCE,
    )
    assert reason_of(snapshot) == "No data for: Lift."


def test_frozen_readings_are_listed_with_their_dates():
    source = {"metric": "Cycle time", "value": 6.5, "measured_at": "2026-03-01T09:00:00+00:00"}
    snapshot = Snapshot(rows=[row(Measurable.METRIC_LATEST, 6.5, sources=[source])])
    assert rows_of(snapshot)[0].sources == ("Cycle time 6.5 on 2026-03-01",)


def test_money_has_the_currency_and_thousands_separators(settings):
    assert money(Decimal("150000.00")) == "EUR 150,000"
    assert money(1241129) == "EUR 1,241,129"
    assert money(None) == "—"
    settings.FLYWHEEL_CURRENCY = "CHF"
    assert money(Decimal("999.5")) == "CHF 1,000"


def test_differences_are_taken_between_the_shown_values():
    # 110 → 95.4 shows as 110 and 95: the difference reads -15, not -14.6 rounded to -15
    # from other rounding, and 110.5 → 95.4 shows 111 and 95: -16.
    assert shown_difference(95.4, 110) == "-15"
    assert shown_difference(95.4, 110.5) == "-16"
    assert shown_difference(100.4, 99.6) == "0"
    assert shown_difference(12, 10) == "+2"
    assert shown_difference(None, 10) == ""
