"""Enumerations of the portfolio: lifecycle states, intake answers, metric kinds."""

from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PILOT = "pilot", "Pilot"
    SCALE = "scale", "Scale"
    EXTEND = "extend", "Extend"
    ON_HOLD = "on_hold", "On hold"
    KILLED = "killed", "Killed"
    RETIRED = "retired", "Retired"


# Stages a use case can be held from (and resumed back to).
ACTIVE_STATES = (State.SUBMITTED, State.PILOT, State.SCALE, State.EXTEND)
LIVE_STATES = (State.SCALE, State.EXTEND)
# From pilot on, the scale memo and integration plan are written (PRODUCT.md, gates).
ARTIFACT_STATES = (State.PILOT, State.SCALE, State.EXTEND)
TERMINAL_STATES = (State.KILLED, State.RETIRED)
# The stage order, for funnels and for "has reached at least" questions.
STAGE_ORDER = (State.DRAFT, State.SUBMITTED, State.PILOT, State.SCALE, State.EXTEND)


class Transition(models.TextChoices):
    SUBMIT = "submit", "Submit"
    ADVANCE_TO_PILOT = "advance_to_pilot", "Advance to pilot (G0)"
    ADVANCE_TO_SCALE = "advance_to_scale", "Advance to scale (G1)"
    ADVANCE_TO_EXTEND = "advance_to_extend", "Advance to extend (G2)"
    HOLD = "hold", "Hold"
    RESUME = "resume", "Resume"
    KILL = "kill", "Kill"
    RETIRE = "retire", "Retire"


class RecordKind(models.TextChoices):
    """How a transition came onto the record: lived in Flywheel, or imported history."""

    RECORDED = "recorded", "Recorded in Flywheel"
    IMPORTED = "imported", "Imported history (not a gate decision)"


FORWARD_TRANSITIONS = {
    State.SUBMITTED: Transition.ADVANCE_TO_PILOT,
    State.PILOT: Transition.ADVANCE_TO_SCALE,
    State.SCALE: Transition.ADVANCE_TO_EXTEND,
}


class DepartmentRole(models.TextChoices):
    HEAD = "head", "Department head"
    MEMBER = "member", "Member"


class Origin(models.TextChoices):
    BOTTOM_UP = "bottom_up", "Bottom-up (the team proposed it)"
    TOP_DOWN = "top_down", "Top-down (it was assigned)"


class ResourceControl(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Horizon(models.TextChoices):
    SHORT = "short", "Short (within 12 months)"
    LONG = "long", "Long (more than 12 months)"


class Knowledge(models.TextChoices):
    FACTS = "facts", "Facts"
    HYPOTHESES = "hypotheses", "Hypotheses"


class Playbook(models.TextChoices):
    GO_NOW = "go_now", "Go Now"
    DISCOVERY = "discovery", "Discovery Planning"
    PREDICTABLE = "predictable", "Predictable Planning"
    RESILIENT = "resilient", "Resilient Strategy"


PLAYBOOK_GRID = {
    (Horizon.SHORT, Knowledge.FACTS): Playbook.GO_NOW,
    (Horizon.SHORT, Knowledge.HYPOTHESES): Playbook.DISCOVERY,
    (Horizon.LONG, Knowledge.FACTS): Playbook.PREDICTABLE,
    (Horizon.LONG, Knowledge.HYPOTHESES): Playbook.RESILIENT,
}


class RiskTier(models.TextChoices):
    MINIMAL = "minimal", "Minimal"
    LIMITED = "limited", "Limited"
    HIGH = "high", "High"
    UNACCEPTABLE = "unacceptable", "Unacceptable"


class MetricKind(models.TextChoices):
    BUSINESS = "business", "Business outcome"
    TECHNICAL = "technical", "Technical (accuracy, adoption, usage)"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Cadence(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


CADENCE_DAYS = {
    Cadence.DAILY: 1,
    Cadence.WEEKLY: 7,
    Cadence.FORTNIGHTLY: 14,
    Cadence.MONTHLY: 30,
    Cadence.QUARTERLY: 91,
    Cadence.YEARLY: 365,
}


class ArtifactKind(models.TextChoices):
    SCALE_MEMO = "scale_memo", "Scale memo"
    INTEGRATION_PLAN = "integration_plan", "Integration plan"


class ArtifactStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class CustomFieldKind(models.TextChoices):
    """The kinds of answer an organisation's own intake field takes."""

    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    MONEY = "money", "Money"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"
    CHOICES = "choices", "Several choices"
    YES_NO = "yes_no", "Yes/no"
    PERSON = "person", "Person"


class LessonCause(models.TextChoices):
    """Why a use case was killed or retired (PRODUCT.md, "Failure stories shared")."""

    DATA = "data", "Data"
    OWNERSHIP = "ownership", "Ownership"
    VALUE = "value", "Value"
    ADOPTION = "adoption", "Adoption"
    TECHNOLOGY = "technology", "Technology"
    REGULATION = "regulation", "Regulation"
    OTHER = "other", "Other"


class LessonTransition(models.TextChoices):
    """The stops that record a lesson."""

    KILL = "kill", "Killed"
    RETIRE = "retire", "Retired"
