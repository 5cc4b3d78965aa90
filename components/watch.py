"""The flags components raises: "incident report overdue" (a serious incident whose report
to the authority, or a deployer's word to the provider, is past its Art. 73 / Art. 26(5)
clock) and "vendor assessment expired" (a use case relies on a vendor whose latest
assessment is older than the renewal period). The portfolio's flag service keeps the history
and notifies; this module only says which use cases have a cause now."""

from datetime import datetime

from django.utils import timezone

from components.clocks import clocks_of
from components.models import Incident
from components.selectors import assessment_expiry, latest_assessments, vendor_ids_of
from portfolio.models import FlagKind
from portfolio.services.flags import flags_reconcile


def incident_overdue_causes(*, at: datetime, use_case_ids=None) -> dict[int, str]:
    """Use case id -> reason, for serious incidents with a clock run out (1 query)."""
    rows = Incident.objects.current().filter(serious=True, recorded_at__lte=at)
    rows = rows.filter(authority_reported_at__isnull=True) | rows.filter(
        organisation_role="deployer", provider_informed_at__isnull=True
    )
    if use_case_ids is not None:
        rows = rows.filter(use_case_id__in=use_case_ids)
    causes: dict[int, list[str]] = {}
    for incident in rows.order_by("use_case_id", "number"):
        for clock in clocks_of(incident):
            if clock.overdue(at):
                causes.setdefault(incident.use_case_id, []).append(
                    f"Incident {incident.number}: {clock.duty.lower()} ({clock.article}) was "
                    f"due {clock.due_at:%Y-%m-%d %H:%M}"
                )
    return {pk: "; ".join(parts) + "." for pk, parts in causes.items()}


def vendor_expired_causes(*, at: datetime, use_case_ids=None) -> dict[int, str]:
    """Use case id -> reason, for vendors relied on whose latest assessment expired (3 queries)."""
    if use_case_ids is None:
        from components.models import ComponentLink

        use_case_ids = ComponentLink.objects.values("use_case_id")
    vendors = vendor_ids_of(use_case_ids=use_case_ids)
    all_vendor_ids = set().union(*vendors.values()) if vendors else set()
    latest = latest_assessments(vendor_ids=all_vendor_ids, at=at)
    expiry = assessment_expiry(at=at)
    causes = {}
    for use_case_id, vendor_ids in vendors.items():
        expired = sorted(
            f"{latest[v].vendor.name} assessed {latest[v].assessed_at:%Y-%m-%d}"
            for v in vendor_ids
            if v in latest and latest[v].assessed_at < expiry
        )
        if expired:
            causes[use_case_id] = "Vendor assessment expired: " + "; ".join(expired) + "."
    return causes


def components_refresh(*, use_case_id: int, at: datetime | None = None) -> dict:
    """The components flags of one use case (registered with the portfolio's flag refresh)."""
    at = at or timezone.now()
    scope = [use_case_id]
    return {
        FlagKind.INCIDENT_REPORT_OVERDUE: flags_reconcile(
            kind=FlagKind.INCIDENT_REPORT_OVERDUE,
            causes=incident_overdue_causes(at=at, use_case_ids=scope),
            scope_use_case_ids=scope,
            at=at,
        ),
        FlagKind.VENDOR_ASSESSMENT_DUE: flags_reconcile(
            kind=FlagKind.VENDOR_ASSESSMENT_DUE,
            causes=vendor_expired_causes(at=at, use_case_ids=scope),
            scope_use_case_ids=scope,
            at=at,
        ),
    }


def components_sweep(*, at: datetime | None = None) -> dict:
    """Raise and clear both flags everywhere."""
    at = at or timezone.now()
    return {
        FlagKind.INCIDENT_REPORT_OVERDUE: flags_reconcile(
            kind=FlagKind.INCIDENT_REPORT_OVERDUE, causes=incident_overdue_causes(at=at), at=at
        ),
        FlagKind.VENDOR_ASSESSMENT_DUE: flags_reconcile(
            kind=FlagKind.VENDOR_ASSESSMENT_DUE, causes=vendor_expired_causes(at=at), at=at
        ),
    }
