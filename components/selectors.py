"""Reads of components and incidents: role-scoped querysets, a use case's components, the use
cases that share a component (or a vendor, through what it supplies), the vendors a use case
relies on, and the incidents as they stand."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from components.choices import ComponentKind
from components.models import Component, ComponentLink, Incident, VendorAssessment
from portfolio.selectors import use_case_visible_to

DAYS_PER_MONTH = 30.4375


def component_list() -> QuerySet:
    """Components with their vendor, owner and the number of use cases linked (1 query)."""
    return (
        Component.objects.select_related("vendor", "owner")
        .annotate(use_case_count=Count("links__use_case", distinct=True))
        .order_by("kind", "name", "version", "id")
    )


def link_visible_to(*, user) -> QuerySet:
    """Links to use cases the person may see, with the component and use case (1 query)."""
    return ComponentLink.objects.filter(use_case__in=use_case_visible_to(user=user)).select_related(
        "component", "component__vendor", "use_case", "use_case__department"
    )


def links_sharing(*, component: Component, user, personal_data_only: bool = False) -> QuerySet:
    """The links through which visible use cases use ``component``; for a vendor, its own
    links and those of everything it supplies (1 query, whatever the number of links)."""
    links = link_visible_to(user=user)
    if component.kind == ComponentKind.VENDOR:
        links = links.filter(Q(component=component) | Q(component__vendor=component))
    else:
        links = links.filter(component=component)
    if personal_data_only:
        links = links.filter(component__kind=ComponentKind.DATASET, component__personal_data=True)
    return links.order_by("use_case__title", "use_case_id", "role", "component_id")


def incidents_visible_to(*, user) -> QuerySet:
    """Incidents as they stand (their latest rows) on use cases the person may see."""
    return (
        Incident.objects.current()
        .filter(use_case__in=use_case_visible_to(user=user))
        .select_related("use_case", "reported_by")
    )


def incident_history(*, incident: Incident) -> QuerySet:
    """Every row of one incident, first report first."""
    return Incident.objects.filter(
        use_case_id=incident.use_case_id, number=incident.number
    ).order_by("recorded_at", "id")


def vendor_ids_of(*, use_case_ids) -> dict[int, set[int]]:
    """Use case id -> the vendors it relies on: linked directly, or supplying a linked
    component (1 query)."""
    rows = ComponentLink.objects.filter(use_case_id__in=use_case_ids).values_list(
        "use_case_id", "component_id", "component__kind", "component__vendor_id"
    )
    vendors: dict[int, set[int]] = {}
    for use_case_id, component_id, kind, vendor_id in rows:
        if kind == ComponentKind.VENDOR:
            vendors.setdefault(use_case_id, set()).add(component_id)
        elif vendor_id is not None:
            vendors.setdefault(use_case_id, set()).add(vendor_id)
    return vendors


def assessment_expiry(*, at: datetime) -> datetime:
    """Assessments made before this moment have expired."""
    months = settings.FLYWHEEL_VENDOR_ASSESSMENT_MONTHS
    return at - timedelta(days=months * DAYS_PER_MONTH)


def latest_assessments(*, vendor_ids, at: datetime) -> dict[int, VendorAssessment]:
    """Vendor id -> its latest assessment made up to ``at`` (1 query)."""
    latest: dict[int, VendorAssessment] = {}
    rows = (
        VendorAssessment.objects.filter(vendor_id__in=vendor_ids, assessed_at__lte=at)
        .select_related("vendor")
        .order_by("vendor_id", "-assessed_at", "-id")
    )
    for row in rows:
        latest.setdefault(row.vendor_id, row)
    return latest


def vendors_awaiting_assessment(*, owner, at: datetime) -> QuerySet:
    """Vendors ``owner`` owns that a use case relies on and whose assessment is missing or
    expired (1 query)."""
    relied_on = ComponentLink.objects.filter(
        Q(component=OuterRef("pk")) | Q(component__vendor=OuterRef("pk"))
    )
    fresh = VendorAssessment.objects.filter(
        vendor=OuterRef("pk"), assessed_at__gte=assessment_expiry(at=at), assessed_at__lte=at
    )
    return (
        Component.objects.filter(kind=ComponentKind.VENDOR, owner=owner)
        .filter(Exists(relied_on))
        .exclude(Exists(fresh))
        .order_by("name", "id")
    )


def incidents_of_use_case(*, use_case_id: int) -> list[Incident]:
    """The use case's incidents as they stand, latest awareness first (1 query)."""
    return list(
        Incident.objects.current().filter(use_case_id=use_case_id).order_by("-aware_at", "-id")
    )


def incidents_of_month(*, month: str, at: datetime) -> dict:
    """The incidents the organisation became aware of in ``month`` (YYYY-MM) as recorded by
    ``at``, with their report clocks as they stood at ``at`` (1 query)."""
    from components.clocks import clocks_of

    year, number = (int(part) for part in month.split("-"))
    rows = list(
        Incident.objects.current()
        .filter(aware_at__year=year, aware_at__month=number, recorded_at__lte=at)
        .select_related("use_case", "use_case__department")
        .order_by("aware_at", "id")
    )
    for row in rows:
        row.clock_states = [(c, c.status(at)) for c in clocks_of(row)]
    return {
        "count": len(rows),
        "serious": sum(row.serious for row in rows),
        "overdue": sum(any(s == "overdue" for _, s in row.clock_states) for row in rows),
        "rows": [row for row in rows if row.serious],
    }
