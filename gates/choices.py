"""Enumerations of the gates app: gates, measurables, comparators, verdicts."""

from django.db import models

from portfolio.choices import State


class Gate(models.TextChoices):
    G0 = "G0", "G0 (submitted to pilot)"
    G1 = "G1", "G1 (pilot to scale)"
    G2 = "G2", "G2 (scale to extend)"


# The gate a use case must pass to leave its current stage.
GATE_FOR_STATE = {State.SUBMITTED: Gate.G0, State.PILOT: Gate.G1, State.SCALE: Gate.G2}
# The gate a live use case last passed: what a scheduled re-review judges it against again.
PASSED_GATE_FOR_STATE = {State.PILOT: Gate.G0, State.SCALE: Gate.G1, State.EXTEND: Gate.G2}


class Purpose(models.TextChoices):
    ADVANCE = "advance", "Advance to the next stage"
    RE_REVIEW = "re_review", "Re-review (the stage is kept on GO)"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"


class Measurable(models.TextChoices):
    """The catalogue of computed figures a criterion can judge (see gates.measurables)."""

    EXPECTED_ROI = "expected_roi", "Projected ROI (expected benefit / first-year cost)"
    REALISED_ROI = "realised_roi", "Realised ROI (realised benefit / first-year cost)"
    PAYBACK_MONTHS = "payback_months", "Payback period (months)"
    LIFT = "lift", "Lift of a business metric toward its target (share of the way)"
    TARGET_ATTAINMENT = "target_attainment", "Target attainment (share of business metrics met)"
    ADOPTION = "adoption", "Adoption (latest reading of the adoption metric)"
    DAYS_IN_PILOT = "days_in_pilot", "Days in pilot"
    PILOT_TIME_BOX_USED = "pilot_time_box_used", "Share of the pilot time box used"
    MEDIAN_DAYS_BETWEEN_READINGS = "median_reading_gap", "Median days between readings"
    RED_DIAGNOSTIC_LINES = "red_diagnostic_lines", "Red stall-diagnostic lines"
    ARTIFACT_STATUS = "artifact_status", "Required artifact (0 none, 0.5 draft, 1 final)"
    METRIC_LATEST = "metric_latest", "Latest reading of a named business metric"
    OWNER_NAMED = "owner_named", "A named outcome owner (1 yes, 0 no)"
    GOALPOSTS_SET = "goalposts_set", "Business metrics with baseline and target"
    UNPAIRED_TECHNICAL_METRICS = "unpaired_technical", "Technical metrics naming no business one"
    DATA_REALITY_DOCUMENTED = "data_reality", "Data and infrastructure reality documented (1/0)"
    RISK_ACCEPTABLE = "risk_acceptable", "Risk tier not unacceptable (1/0)"
    HUMAN_OVERSIGHT_OK = "human_oversight", "Human oversight documented where high risk (1/0)"
    SCENARIOS_NAMED = "scenarios_named", "Scenarios and warning signs named (1/0)"


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", "at least"
    AT_MOST = "at_most", "at most"
    BETWEEN = "between", "between"


class CriterionKind(models.TextChoices):
    MUST = "must", "Must meet (knock-out)"
    SHOULD = "should", "Should meet (weighted)"


class Outcome(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    NO_DATA = "no_data", "No data"


class Recommendation(models.TextChoices):
    GO = "go", "GO"
    NO_GO = "no_go", "NO-GO"
    INSUFFICIENT_EVIDENCE = "insufficient", "INSUFFICIENT EVIDENCE"
