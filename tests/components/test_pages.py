"""The pages: an incident reported from the use case page with its clocks shown there, a
report recorded stopping the clock, a refused moment named on the page; the component page
with the use cases that share a vendor (and its datasets with personal data) in constant
queries; a vendor assessed from its page."""

import datetime as dt

import pytest
from django.utils import timezone

from components import services
from components.models import AssessmentQuestion, Component, ComponentLink, Incident
from tests import factories


@pytest.fixture
def use_case(department, head):
    return factories.submitted(department, head, title="Claims triage")


def moment(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_an_incident_reported_from_the_use_case_page_shows_its_clocks(client, head, use_case):
    client.force_login(head)
    aware = timezone.now() - dt.timedelta(days=1)
    answer = client.post(
        f"/use-cases/{use_case.pk}/incidents/",
        {
            "title": "Wrong refusals",
            "occurred_at": moment(aware),
            "aware_at": moment(aware),
            "serious": "on",
            "organisation_role": "provider",
        },
    )
    assert answer.status_code == 302
    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    incident = Incident.objects.get()
    due = timezone.localtime(incident.aware_at + dt.timedelta(days=15))
    assert "Incident 1: Wrong refusals" in page
    assert "Art. 73(2)" in page
    assert f"{due:%Y-%m-%d %H:%M}" in page

    client.post(
        f"/use-cases/{use_case.pk}/incidents/{incident.pk}/done/",
        {"duty": "authority_reported_at"},
    )
    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    assert "corrected (Reported to the authority)" in page
    assert Incident.objects.count() == 2


def test_awareness_before_occurrence_is_refused_naming_the_field(client, head, use_case):
    client.force_login(head)
    now = timezone.now()
    answer = client.post(
        f"/use-cases/{use_case.pk}/incidents/",
        {
            "title": "X",
            "occurred_at": moment(now - dt.timedelta(hours=2)),
            "aware_at": moment(now - dt.timedelta(days=2)),
            "organisation_role": "deployer",
        },
        follow=True,
    )
    assert "Became aware: Awareness cannot come before the incident occurred." in (
        answer.content.decode()
    )
    assert not Incident.objects.exists()


@pytest.mark.parametrize("n", [10, 1000])
def test_the_vendor_page_lists_the_use_cases_that_share_it_in_constant_queries(
    client, department, head, vendor, n, django_assert_max_num_queries
):
    personal = Component.objects.create(
        kind="dataset", name="claims", vendor=vendor, personal_data=True
    )
    public = Component.objects.create(
        kind="dataset", name="weather", vendor=vendor, personal_data=False
    )
    use_cases = factories.use_cases_in_bulk(n, department=department, person=head)
    ComponentLink.objects.bulk_create(
        ComponentLink(use_case=u, component=personal if i % 2 else public, role="input_data")
        for i, u in enumerate(use_cases)
    )
    client.force_login(head)
    with django_assert_max_num_queries(20):
        page = client.get(f"/components/{vendor.pk}/").content.decode()
    assert f"Use cases that rely on this vendor ({n})" in page
    with django_assert_max_num_queries(20):
        page = client.get(f"/components/{vendor.pk}/?personal_data=1").content.decode()
    # Every second use case uses the dataset with personal data: 10 -> 5, 1000 -> 500.
    assert f"Use cases that share its datasets with personal data ({n // 2})" in page


def test_the_use_case_page_lists_its_components(client, head, use_case, vendor, admin_user):
    services.component_link(actor=admin_user, use_case=use_case, component=vendor, role="provider")
    client.force_login(head)
    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    assert "Acme Models GmbH" in page and "Provider" in page


def test_a_vendor_assessed_from_its_page(client, admin_user, vendor):
    q1 = AssessmentQuestion.objects.create(text="Certified?", weight=1)
    q2 = AssessmentQuestion.objects.create(text="EU hosting?", weight=1)
    client.force_login(admin_user)
    answer = client.post(
        f"/components/{vendor.pk}/assess/", {f"q{q1.pk}": "yes", f"q{q2.pk}": "yes"}, follow=True
    )
    # 2 of 2 weights answered yes: 100 %.
    assert "Assessed: 100.00%, passed." in answer.content.decode()
