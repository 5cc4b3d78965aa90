"""The components tests' helpers: an API client acting as a person, and an incident reported
through the service."""

import datetime as dt

from django.utils import timezone
from rest_framework.test import APIClient

from components import services

DAY = dt.timedelta(days=1)


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def report_incident(use_case, actor, *, ago=DAY, title="Outage", **fields):
    """An incident reported through the service: aware ``ago`` before now (or at
    ``aware_at``), occurred at the same moment unless told."""
    aware = fields.pop("aware_at", None) or timezone.now() - ago
    fields.setdefault("occurred_at", aware)
    return services.incident_report(
        actor=actor, use_case=use_case, title=title, aware_at=aware, **fields
    )
