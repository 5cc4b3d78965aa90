"""The intake: its one list of fields, and what a use case must hold before it can be
submitted (pure).

``INTAKE`` is the only place an intake field is named: the web form, the services, the API's
serializers, the admin's fieldsets, and the completeness rule all derive from it, so a field
added here appears on every surface without a second edit. An organisation's own questions
(custom fields, ``portfolio.custom_fields``) are added to every surface beside these.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portfolio.choices import MetricKind


@dataclass(frozen=True)
class Section:
    key: str
    legend: str
    columns: str = ""  # "two" or "three": a grid on the page


@dataclass(frozen=True)
class IntakeField:
    """One field of the intake.

    ``draft``: set while the use case is a draft; ``living``: stays editable after submission
    (the evidence and plans a gate looks at); ``required``: the message when submission finds
    it missing; ``page``: on the department heads' intake page (else admin and API only).
    """

    name: str
    section: str
    required: str = ""
    draft: bool = True
    living: bool = False
    page: bool = True


SECTIONS = (
    Section("what", _("What and where")),
    Section("owner", _("Outcome owner")),
    Section("data", _("Data and infrastructure reality")),
    Section("money", _("Money and autonomy"), "three"),
    Section("sponsor", _("Sponsor and operator")),
    Section("playbook", _("Playbook"), "two"),
    Section("risk", _("Risk (EU AI Act)"), "two"),
    Section("lifecycle", _("Lifecycle")),
)

F = IntakeField
INTAKE = (
    F("title", "what", _("A title is required.")),
    F("problem_statement", "what", _("Describe the problem the use case solves.")),
    F("origin", "what", _("Say whether the use case is bottom-up or top-down.")),
    F("outcome_owner", "owner", _("Name one person accountable for the business outcome.")),
    F("owner_controls_resources", "owner",
      _("Say whether the outcome owner controls the resources needed."), living=True),
    F("owner_dependencies", "owner", living=True),
    F("data_assumed", "data", _("Record what the plan assumes about data and infrastructure.")),
    F("data_existing", "data", _("Record what data and infrastructure exist today."),
      living=True),
    F("build_cost", "money", _("Give the one-off build cost.")),
    F("run_cost_yearly", "money", _("Give the yearly run cost.")),
    F("expected_benefit_yearly", "money", _("Give the expected yearly benefit.")),
    F("realised_benefit_yearly", "money", draft=False, living=True, page=False),
    F("autonomy_share", "money",
      _("Give the share of actions that will run without a person.")),
    F("execution_budget_share", "money",
      _("Give the share of the budget that goes to the execution layer.")),
    F("sponsor", "sponsor", _("Name the sponsor (an executive).")),
    F("operator_team", "sponsor", _("Name the operator (the team that runs it).")),
    F("operator_lead", "sponsor"),
    F("success_definition", "sponsor", _("Write the joint definition of success."),
      living=True),
    F("horizon", "playbook", _("Say how long until the goal is realised (short or long).")),
    F("knowledge", "playbook", _("Say whether the team works from facts or hypotheses.")),
    F("scenarios", "playbook", living=True),
    F("warning_signs", "playbook", living=True),
    F("template", "what"),
    F("risk_prohibited_practice", "risk",
      _("Answer the EU AI Act question on prohibited practices.")),
    F("risk_annex_iii_area", "risk", _("Answer the EU AI Act question on Annex III areas.")),
    F("risk_safety_component", "risk",
      _("Answer the EU AI Act question on safety components.")),
    F("risk_transparency_duty", "risk",
      _("Answer the EU AI Act question on transparency duties.")),
    F("human_oversight", "risk", living=True),
    F("pilot_time_box_days", "lifecycle", page=False),
)  # fmt: skip
BY_NAME = {field.name: field for field in INTAKE}

# Set while the use case is a draft.
INTAKE_FIELDS = frozenset(field.name for field in INTAKE if field.draft)
# Stay current after submission: the evidence and plans a gate looks at.
LIVING_FIELDS = frozenset(field.name for field in INTAKE if field.living)
# What submission needs, with the message naming each missing item (the department is
# chosen at creation and never missing; it is listed for the completeness rule all the same).
REQUIRED_FIELDS = {
    **{field.name: field.required for field in INTAKE[:2] if field.required},
    "department": _("Name the department."),
    **{field.name: field.required for field in INTAKE[2:] if field.required},
}
# A metric's and a data gap's fields, as the intake lists them (the API, the admin's inlines
# and the services name them from here).
METRIC_FIELDS = (
    "kind", "name", "unit", "direction", "baseline", "target", "cadence", "paired_with",
)  # fmt: skip
GAP_FIELDS = ("description", "closing_work", "work_owner", "owner_committed", "blocks_production")
PAGE_FIELDS = tuple(field.name for field in INTAKE if field.page and field.draft)


def section_fields(key: str, *, page: bool = False) -> tuple[str, ...]:
    """The intake fields of one section, in the list's order (``page``: those on the page)."""
    return tuple(f.name for f in INTAKE if f.section == key and ((f.page and f.draft) or not page))


def intake_problems(
    fields: Mapping[str, object], metrics: Iterable[Mapping[str, object]]
) -> dict[str, list[str]]:
    """Every missing item of the intake, by field; empty when the use case may be submitted.

    ``fields`` maps intake field names to values (``None`` or ``""`` when missing);
    ``metrics`` holds dicts with id, kind, name, baseline, target and paired_with_id.
    Every technical metric must name a business metric of the same use case (pairing).
    """
    problems: dict[str, list[str]] = {}
    for name, message in REQUIRED_FIELDS.items():
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.setdefault(name, []).append(message)

    metrics = list(metrics)
    business = {m["id"]: m for m in metrics if m["kind"] == MetricKind.BUSINESS}
    if not business:
        problems.setdefault("metrics", []).append(
            "Add at least one business outcome metric (cost, cycle time, revenue, ...)."
        )
    for metric in business.values():
        if metric["baseline"] is None or metric["target"] is None:
            problems.setdefault("metrics", []).append(
                f"Business metric '{metric['name']}' needs a baseline and a target."
            )
    for metric in metrics:
        if metric["kind"] == MetricKind.TECHNICAL and metric["paired_with_id"] not in business:
            problems.setdefault("metrics", []).append(
                f"Technical metric '{metric['name']}' must name the business metric it moves."
            )
    return problems
