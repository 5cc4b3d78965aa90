"""Enumerations of the gates app: gates, measurables, comparators, verdicts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolio.choices import State


class Gate(models.TextChoices):
    G0 = "G0", _("G0 (submitted to pilot)")
    G1 = "G1", _("G1 (pilot to scale)")
    G2 = "G2", _("G2 (scale to extend)")


# The gate a use case must pass to leave its current stage.
GATE_FOR_STATE = {State.SUBMITTED: Gate.G0, State.PILOT: Gate.G1, State.SCALE: Gate.G2}
# The gate a live use case last passed: what a scheduled re-review judges it against again.
PASSED_GATE_FOR_STATE = {State.PILOT: Gate.G0, State.SCALE: Gate.G1, State.EXTEND: Gate.G2}


class Purpose(models.TextChoices):
    ADVANCE = "advance", _("Advance to the next stage")
    RE_REVIEW = "re_review", _("Re-review (the stage is kept on GO)")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


class Measurable(models.TextChoices):
    """The catalogue of computed figures a criterion can judge (see gates.measurables)."""

    EXPECTED_ROI = "expected_roi", _("Projected ROI (expected benefit / first-year cost)")
    REALISED_ROI = "realised_roi", _("Realised ROI (realised benefit / first-year cost)")
    PAYBACK_MONTHS = "payback_months", _("Payback period (months)")
    LIFT = "lift", _("Lift of a business metric toward its target (share of the way)")
    TARGET_ATTAINMENT = "target_attainment", _("Target attainment (share of business metrics met)")
    ADOPTION = "adoption", _("Adoption (latest reading of the adoption metric)")
    DAYS_IN_PILOT = "days_in_pilot", _("Days in pilot")
    PILOT_TIME_BOX_USED = "pilot_time_box_used", _("Share of the pilot time box used")
    MEDIAN_DAYS_BETWEEN_READINGS = "median_reading_gap", _("Median days between readings")
    RED_DIAGNOSTIC_LINES = "red_diagnostic_lines", _("Red stall-diagnostic lines")
    ARTIFACT_STATUS = "artifact_status", _("Required artifact (0 none, 0.5 draft, 1 final)")
    METRIC_LATEST = "metric_latest", _("Latest reading of a named business metric")
    OWNER_NAMED = "owner_named", _("A named outcome owner (1 yes, 0 no)")
    GOALPOSTS_SET = "goalposts_set", _("Business metrics with baseline and target")
    UNPAIRED_TECHNICAL_METRICS = "unpaired_technical", _("Technical metrics naming no business one")
    DATA_REALITY_DOCUMENTED = "data_reality", _("Data and infrastructure reality documented (1/0)")
    RISK_ACCEPTABLE = "risk_acceptable", _("Risk tier not unacceptable (1/0)")
    HUMAN_OVERSIGHT_OK = "human_oversight", _("Human oversight documented where high risk (1/0)")
    SCENARIOS_NAMED = "scenarios_named", _("Scenarios and warning signs named (1/0)")


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")
    BETWEEN = "between", _("between")


class CriterionKind(models.TextChoices):
    MUST = "must", _("Must meet (knock-out)")
    SHOULD = "should", _("Should meet (weighted)")


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NO_DATA = "no_data", _("No data")


class Recommendation(models.TextChoices):
    GO = "go", _("GO")
    NO_GO = "no_go", _("NO-GO")
    INSUFFICIENT_EVIDENCE = "insufficient", _("INSUFFICIENT EVIDENCE")
