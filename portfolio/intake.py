"""Intake completeness: what a use case must hold before it can be submitted (pure)."""

from collections.abc import Iterable, Mapping

from portfolio.choices import MetricKind

REQUIRED_FIELDS = {
    "title": "A title is required.",
    "problem_statement": "Describe the problem the use case solves.",
    "department": "Name the department.",
    "origin": "Say whether the use case is bottom-up or top-down.",
    "outcome_owner": "Name one person accountable for the business outcome.",
    "owner_controls_resources": "Say whether the outcome owner controls the resources needed.",
    "data_assumed": "Record what the plan assumes about data and infrastructure.",
    "data_existing": "Record what data and infrastructure exist today.",
    "build_cost": "Give the one-off build cost.",
    "run_cost_yearly": "Give the yearly run cost.",
    "expected_benefit_yearly": "Give the expected yearly benefit.",
    "autonomy_share": "Give the share of actions that will run without a person.",
    "execution_budget_share": "Give the share of the budget that goes to the execution layer.",
    "sponsor": "Name the sponsor (an executive).",
    "operator_team": "Name the operator (the team that runs it).",
    "success_definition": "Write the joint definition of success.",
    "horizon": "Say how long until the goal is realised (short or long).",
    "knowledge": "Say whether the team works from facts or hypotheses.",
    "risk_prohibited_practice": "Answer the EU AI Act question on prohibited practices.",
    "risk_annex_iii_area": "Answer the EU AI Act question on Annex III areas.",
    "risk_safety_component": "Answer the EU AI Act question on safety components.",
    "risk_transparency_duty": "Answer the EU AI Act question on transparency duties.",
}


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
