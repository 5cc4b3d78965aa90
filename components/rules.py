"""Who may read and change components, links, incidents and assessments (django-rules)."""

import rules

from core.rules import is_portfolio_admin
from portfolio.rules import can_manage_use_case, can_view_use_case, is_department_head


@rules.predicate
def owns_component(user, component) -> bool:
    return component is not None and component.owner_id == getattr(user, "pk", None)


@rules.predicate
def reported_incident(user, incident) -> bool:
    return incident is not None and incident.reported_by_id == getattr(user, "pk", None)


@rules.predicate
def manages_incident_use_case(user, incident) -> bool:
    return incident is not None and can_manage_use_case.test(user, incident.use_case)


# Components are registered by administrators and department heads and kept by their owners;
# a use case's links by those who manage the use case; anyone who sees a use case reports an
# incident on it, and its managers and the reporter correct it; a vendor's owner assesses it.
rules.add_perm("components.add_component", is_portfolio_admin | is_department_head)
rules.add_perm("components.change_component", is_portfolio_admin | owns_component)
rules.add_perm("components.link_use_case", can_manage_use_case)
rules.add_perm("components.report_incident", can_view_use_case)
rules.add_perm(
    "components.correct_incident",
    is_portfolio_admin | manages_incident_use_case | reported_incident,
)
rules.add_perm("components.assess_vendor", is_portfolio_admin | owns_component)
