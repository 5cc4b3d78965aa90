"""The default criteria sets that ship with the product (data only; loaded by a migration
and by gates.services.criteria_defaults_load).

G0: a named owner, a business metric with baseline and target, every technical metric
paired, data reality documented, risk tier not unacceptable, human oversight where high
risk. G1: pilot within its time box, lift at least half-way to target, projected ROI >= 1,
scale memo and integration plan final, readings at least every 14 days. G2: realised
ROI >= 2, target met. Discovery: a 90-day pilot box at G1. Resilient: scenarios and warning
signs named at every gate.
"""

from decimal import Decimal


def criterion(label, measurable, comparator, threshold, kind="must", weight="1", **extra):
    """One criterion as a dict of Criterion fields."""
    return {
        "label": label,
        "measurable": measurable,
        "comparator": comparator,
        "threshold": Decimal(str(threshold)),
        "kind": kind,
        "weight": Decimal(weight),
        **extra,
    }


G0 = [
    criterion("A named outcome owner", "owner_named", "at_least", 1),
    criterion("A business metric with baseline and target", "goalposts_set", "at_least", 1),
    criterion(
        "Every technical metric paired with a business metric", "unpaired_technical", "at_most", 0
    ),
    criterion("Data and infrastructure reality documented", "data_reality", "at_least", 1),
    criterion("Risk tier not unacceptable", "risk_acceptable", "at_least", 1),
    criterion("Human oversight documented when high risk", "human_oversight", "at_least", 1),
    criterion("Projected ROI at least 1", "expected_roi", "at_least", 1, "should", "2"),
    criterion("Payback within 24 months", "payback_months", "at_most", 24, "should", "1"),
]
PILOT_BOX = criterion("Pilot within its time box", "pilot_time_box_used", "at_most", 1)
DISCOVERY_BOX = criterion("Pilot within the 90-day Discovery box", "days_in_pilot", "at_most", 90)
G1_REST = [
    criterion("Lift at least half-way to target", "lift", "at_least", "0.5"),
    criterion("Projected ROI at least 1", "expected_roi", "at_least", 1),
    criterion("Scale memo final", "artifact_status", "at_least", 1, artifact_kind="scale_memo"),
    criterion(
        "Integration plan final",
        "artifact_status",
        "at_least",
        1,
        artifact_kind="integration_plan",
    ),
    criterion(
        "Readings at least every 14 days", "median_reading_gap", "at_most", 14, "should", "1"
    ),
]
G2 = [
    criterion("Realised ROI at least 2", "realised_roi", "at_least", 2),
    criterion("Every business target met", "target_attainment", "at_least", 1),
    criterion(
        "Readings at least every 14 days", "median_reading_gap", "at_most", 14, "should", "1"
    ),
]
SCENARIOS = criterion("Scenarios and warning signs named", "scenarios_named", "at_least", 1)

DEFAULTS = [
    ("G0", "", "G0 default", G0),
    ("G0", "resilient", "G0 Resilient Strategy", [*G0, SCENARIOS]),
    ("G1", "", "G1 default", [PILOT_BOX, *G1_REST]),
    ("G1", "discovery", "G1 Discovery Planning", [DISCOVERY_BOX, *G1_REST]),
    ("G1", "resilient", "G1 Resilient Strategy", [PILOT_BOX, *G1_REST, SCENARIOS]),
    ("G2", "", "G2 default", G2),
    ("G2", "resilient", "G2 Resilient Strategy", [*G2, SCENARIOS]),
]
