"""Enumerations of the portfolio: lifecycle states, intake answers, metric kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PILOT = "pilot", _("Pilot")
    SCALE = "scale", _("Scale")
    EXTEND = "extend", _("Extend")
    ON_HOLD = "on_hold", _("On hold")
    KILLED = "killed", _("Killed")
    RETIRED = "retired", _("Retired")


# Stages a use case can be held from (and resumed back to).
ACTIVE_STATES = (State.SUBMITTED, State.PILOT, State.SCALE, State.EXTEND)
LIVE_STATES = (State.SCALE, State.EXTEND)
# From pilot on, the scale memo and integration plan are written (PRODUCT.md, gates).
ARTIFACT_STATES = (State.PILOT, State.SCALE, State.EXTEND)
TERMINAL_STATES = (State.KILLED, State.RETIRED)
# The stage order, for funnels and for "has reached at least" questions.
STAGE_ORDER = (State.DRAFT, State.SUBMITTED, State.PILOT, State.SCALE, State.EXTEND)


class Transition(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ADVANCE_TO_PILOT = "advance_to_pilot", _("Advance to pilot (G0)")
    ADVANCE_TO_SCALE = "advance_to_scale", _("Advance to scale (G1)")
    ADVANCE_TO_EXTEND = "advance_to_extend", _("Advance to extend (G2)")
    HOLD = "hold", _("Hold")
    RESUME = "resume", _("Resume")
    KILL = "kill", _("Kill")
    RETIRE = "retire", _("Retire")


class RecordKind(models.TextChoices):
    """How a transition came onto the record: lived in Flywheel, or imported history."""

    RECORDED = "recorded", _("Recorded in Flywheel")
    IMPORTED = "imported", _("Imported history (not a gate decision)")


FORWARD_TRANSITIONS = {
    State.SUBMITTED: Transition.ADVANCE_TO_PILOT,
    State.PILOT: Transition.ADVANCE_TO_SCALE,
    State.SCALE: Transition.ADVANCE_TO_EXTEND,
}


class DepartmentRole(models.TextChoices):
    HEAD = "head", _("Department head")
    MEMBER = "member", _("Member")


class Origin(models.TextChoices):
    BOTTOM_UP = "bottom_up", _("Bottom-up (the team proposed it)")
    TOP_DOWN = "top_down", _("Top-down (it was assigned)")


class ResourceControl(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Horizon(models.TextChoices):
    SHORT = "short", _("Short (within 12 months)")
    LONG = "long", _("Long (more than 12 months)")


class Knowledge(models.TextChoices):
    FACTS = "facts", _("Facts")
    HYPOTHESES = "hypotheses", _("Hypotheses")


class Playbook(models.TextChoices):
    GO_NOW = "go_now", _("Go Now")
    DISCOVERY = "discovery", _("Discovery Planning")
    PREDICTABLE = "predictable", _("Predictable Planning")
    RESILIENT = "resilient", _("Resilient Strategy")


PLAYBOOK_GRID = {
    (Horizon.SHORT, Knowledge.FACTS): Playbook.GO_NOW,
    (Horizon.SHORT, Knowledge.HYPOTHESES): Playbook.DISCOVERY,
    (Horizon.LONG, Knowledge.FACTS): Playbook.PREDICTABLE,
    (Horizon.LONG, Knowledge.HYPOTHESES): Playbook.RESILIENT,
}


class RiskTier(models.TextChoices):
    MINIMAL = "minimal", _("Minimal")
    LIMITED = "limited", _("Limited")
    HIGH = "high", _("High")
    UNACCEPTABLE = "unacceptable", _("Unacceptable")


class MetricKind(models.TextChoices):
    BUSINESS = "business", _("Business outcome")
    TECHNICAL = "technical", _("Technical (accuracy, adoption, usage)")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


CADENCE_DAYS = {
    Cadence.DAILY: 1,
    Cadence.WEEKLY: 7,
    Cadence.FORTNIGHTLY: 14,
    Cadence.MONTHLY: 30,
    Cadence.QUARTERLY: 91,
    Cadence.YEARLY: 365,
}


class ArtifactKind(models.TextChoices):
    SCALE_MEMO = "scale_memo", _("Scale memo")
    INTEGRATION_PLAN = "integration_plan", _("Integration plan")


class ArtifactStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class CustomFieldKind(models.TextChoices):
    """The kinds of answer an organisation's own intake field takes."""

    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Money")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    CHOICES = "choices", _("Several choices")
    YES_NO = "yes_no", _("Yes/no")
    PERSON = "person", _("Person")


class LessonCause(models.TextChoices):
    """Why a use case was killed or retired (PRODUCT.md, "Failure stories shared")."""

    DATA = "data", _("Data")
    OWNERSHIP = "ownership", _("Ownership")
    VALUE = "value", _("Value")
    ADOPTION = "adoption", _("Adoption")
    TECHNOLOGY = "technology", _("Technology")
    REGULATION = "regulation", _("Regulation")
    OTHER = "other", _("Other")


class LessonTransition(models.TextChoices):
    """The stops that record a lesson."""

    KILL = "kill", _("Killed")
    RETIRE = "retire", _("Retired")
