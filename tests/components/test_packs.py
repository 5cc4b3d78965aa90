"""Incidents in the board pack (the review's use case) and in the monthly portfolio pack (the
incidents that became known that month, with their clocks as they stood)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from components.selectors import incidents_of_month
from tests.support.components import report_incident
from tests.support.console import decided
from tests.support.packs import pdf_text

pytestmark = pytest.mark.django_db


def test_the_board_pack_lists_the_use_cases_incidents(client, department, head, chair, members):
    review = decided(department, head, chair, members, verdict="go")
    report_incident(review.use_case, head, title="Refusals spiked", serious=True)
    client.force_login(chair)
    pack = pdf_text(client.get(reverse("review-pack", args=[review.pk])))
    assert "Incidents" in pack and "1: Refusals spiked" in pack and "report due" in pack


def test_the_monthly_pack_counts_the_months_incidents(client, department, head, executive):
    from tests import factories

    use_case = factories.submitted(department, head, title="Claims triage")
    aware = timezone.now() - dt.timedelta(seconds=1)
    report_incident(use_case, head, aware_at=aware, serious=True, organisation_role="provider")
    report_incident(use_case, head, aware_at=aware, title="Glitch")
    now = timezone.now()
    figures = incidents_of_month(month=f"{timezone.localdate():%Y-%m}", at=now)
    # Two known this month, one serious, its 15-day report not yet overdue.
    assert (figures["count"], figures["serious"], figures["overdue"]) == (2, 1, 0)
    # 16 days later the serious one's report (Art. 73(2), 15 days) is overdue.
    later = incidents_of_month(
        month=f"{timezone.localdate():%Y-%m}", at=now + dt.timedelta(days=16)
    )
    assert later["overdue"] == 1
    client.force_login(executive)
    pack = pdf_text(client.get(reverse("portfolio-pack")))
    assert "2 incidents became known in" in pack
    assert "1 serious, 0 with a report overdue" in pack
