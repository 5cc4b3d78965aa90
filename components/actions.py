"""Components' part of My actions: serious incidents whose reports are due or overdue (for the
reporter and the heads of the use case's department), and vendors a use case relies on whose
assessment is missing or expired (for the vendor's owner). Two queries."""

from django.db.models import Q
from django.utils import timezone

from components.clocks import clocks_of
from components.models import Incident
from components.selectors import vendors_awaiting_assessment
from core.actions import Action

KINDS = {
    "incident_report_due": "Incident reports due",
    "vendor_assessment_due": "Vendor assessments to make",
}


def component_actions(user, roles, *, at=None) -> list[Action]:
    at = at or timezone.now()
    actions = []
    incidents = (
        Incident.objects.current()
        .filter(serious=True)
        .filter(Q(reported_by=user) | Q(use_case__department_id__in=roles.heads))
        .filter(
            Q(authority_reported_at__isnull=True)
            | Q(organisation_role="deployer", provider_informed_at__isnull=True)
        )
        .select_related("use_case")
        .order_by("aware_at", "id")
    )
    for incident in incidents:
        for clock in clocks_of(incident):
            if clock.done_at is None:
                actions.append(
                    Action(
                        kind="incident_report_due",
                        title=f"{clock.duty} ({clock.article})"
                        + (": overdue" if clock.overdue(at) else ""),
                        detail=f"Incident {incident.number} on '{incident.use_case.title}': "
                        f"{incident.title}. Due {clock.due_at:%Y-%m-%d %H:%M}.",
                        path=f"/use-cases/{incident.use_case_id}/#incidents",
                        due=clock.due_at,
                    )
                )
    for vendor in vendors_awaiting_assessment(owner=user, at=at):
        actions.append(
            Action(
                kind="vendor_assessment_due",
                title=f"Assess the vendor {vendor.name}",
                detail="A use case relies on it and its assessment is missing or expired.",
                path=f"/components/{vendor.pk}/assess/",
            )
        )
    return actions
