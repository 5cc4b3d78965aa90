"""The EU AI Act block where people work: on the department's and the executives' use case
pages, and the posture per department on the dashboard, each figure opening its list."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance import services as compliance_services
from compliance.choices import OPEN_STATUSES
from compliance.models import Obligation
from compliance.selectors import posture_by_department
from portfolio import services
from tests import factories


@pytest.fixture
def high_risk_deployed(department, head):
    """A submitted high-risk use case whose deployer duties were generated 60 days ago, so
    the duties due 30 days after generation (AI literacy among them) are overdue today."""
    compliance_services.catalogue_load()
    use_case = factories.UseCaseFactory(department=department, risk_annex_iii_area=True)
    use_case = services.use_case_submit(use_case=use_case, actor=head)
    compliance_services.regulatory_profile_record(
        use_case=use_case,
        actor=head,
        act_role="deployer",
        at=timezone.now() - timedelta(days=60),
    )
    return use_case


def test_the_department_use_case_page_shows_its_obligations(client, head, high_risk_deployed):
    client.force_login(head)
    page = client.get(reverse("use-case-detail", args=[high_risk_deployed.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="obligations"' in html
    articles = set(
        Obligation.objects.filter(use_case=high_risk_deployed).values_list(
            "obligation_type__article", flat=True
        )
    )
    assert articles and all(article in html for article in articles)
    assert reverse("compliance:use-case", args=[high_risk_deployed.pk]) in html


def test_the_executive_use_case_page_shows_its_obligations(client, executive, high_risk_deployed):
    client.force_login(executive)
    page = client.get(reverse("flywheel-admin:use-case", args=[high_risk_deployed.pk]))

    assert page.status_code == 200
    assert 'id="obligations"' in page.content.decode()
    assert "Deployer" in page.content.decode()


def test_dashboard_posture_matches_the_obligations_it_links_to(
    client, executive, department, high_risk_deployed
):
    client.force_login(executive)
    today = timezone.localdate()
    (row,) = [r for r in posture_by_department(today=today) if r["department_id"] == department.pk]
    overdue = Obligation.objects.filter(
        use_case__department=department, status__in=OPEN_STATUSES, due_date__lt=today
    ).count()
    assert row["overdue"] == overdue > 0

    page = client.get(reverse("admin:index")).content.decode()
    section = page[page.index('id="compliance-posture"') :]
    links = re.findall(r'href="([^"]*compliance/obligation/[^"]*)"', section)
    assert len(links) >= 2
    every, late = (link.replace("&amp;", "&") for link in links[:2])

    listed = client.get(every).content.decode().lower()
    assert re.search(rf"\b{row['obligations']} obligations?\b", listed)
    late_page = client.get(late).content.decode().lower()
    assert re.search(rf"\b{overdue} obligations?\b", late_page)
