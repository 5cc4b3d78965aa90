"""The admin is a client of the intake services: a submitted use case changes there only as
the API allows, and a new definition of success withdraws the sign-offs there too."""

from decimal import Decimal

import pytest
from django.utils import timezone

from portfolio import services
from portfolio.models import UseCase
from tests.support.forms import form_data
from tests.support.piloting import client_for

CHANGE = "/admin/portfolio/usecase/{}/change/"


def signed(use_case):
    for party, user in (("sponsor", use_case.sponsor), ("operator", use_case.operator_lead)):
        services.use_case_sign_off(actor=user, use_case=use_case, party=party)
    return UseCase.objects.get(pk=use_case.pk)


def admin_post(client, use_case, **changes):
    page = client.get(CHANGE.format(use_case.pk)).content.decode()
    return client.post(CHANGE.format(use_case.pk), form_data(page, **changes))


def test_admin_refuses_to_change_the_cost_of_a_submitted_use_case(
    submitted, admin_user, client, head
):
    client.force_login(admin_user)

    response = admin_post(client, submitted, build_cost="1")
    api = client_for(head).patch(
        f"/api/use-cases/{submitted.pk}/", {"build_cost": "1"}, format="json"
    )

    assert response.status_code == 200
    assert "Editable only while the use case is a draft." in response.content.decode()
    assert UseCase.objects.get(pk=submitted.pk).build_cost == Decimal("100000")
    assert api.status_code == 400
    assert api.json()["fields"] == {"build_cost": ["Editable only while the use case is a draft."]}


def test_admin_withdraws_sign_offs_when_the_success_definition_changes(
    submitted, admin_user, client
):
    use_case = signed(submitted)
    assert use_case.sponsor_signed_off_at and use_case.operator_signed_off_at
    client.force_login(admin_user)

    response = admin_post(client, use_case, success_definition="Settle in three days.")

    use_case = UseCase.objects.get(pk=use_case.pk)
    assert response.status_code == 302
    assert use_case.success_definition == "Settle in three days."
    assert (use_case.sponsor_signed_off_at, use_case.operator_signed_off_at) == (None, None)


def test_api_withdraws_sign_offs_the_same_way(submitted, head):
    use_case = signed(submitted)

    client_for(head).patch(
        f"/api/use-cases/{use_case.pk}/", {"success_definition": "Other."}, format="json"
    )

    use_case = UseCase.objects.get(pk=use_case.pk)
    assert (use_case.sponsor_signed_off_at, use_case.operator_signed_off_at) == (None, None)


def test_admin_edits_a_draft_through_the_service(use_case, admin_user, client):
    client.force_login(admin_user)

    response = admin_post(client, use_case, build_cost="90000")

    assert response.status_code == 302
    assert UseCase.objects.get(pk=use_case.pk).build_cost == Decimal("90000")


def test_admin_creates_a_draft_through_the_service(department, admin_user, client):
    client.force_login(admin_user)
    page = client.get("/admin/portfolio/usecase/add/").content.decode()

    response = client.post(
        "/admin/portfolio/usecase/add/",
        form_data(page, title="From the admin", department=str(department.pk)),
    )

    created = UseCase.objects.get(title="From the admin")
    assert response.status_code == 302
    assert (created.state, created.created_by) == ("draft", admin_user)


def test_admin_refuses_a_department_change_after_creation(submitted, admin_user, client):
    client.force_login(admin_user)

    page = client.get(CHANGE.format(submitted.pk)).content.decode()

    assert 'name="department"' not in page


def test_executives_cannot_post_the_admin_change_form(submitted, executive, client):
    client.force_login(executive)

    response = admin_post(client, submitted, title="Renamed")

    assert response.status_code == 403
    assert UseCase.objects.get(pk=submitted.pk).title == submitted.title


@pytest.mark.parametrize("field", ["state", "submitted_at", "metrics_locked_at"])
def test_lifecycle_stamps_are_read_only_in_the_admin(submitted, admin_user, client, field):
    client.force_login(admin_user)

    admin_post(client, submitted, **{field: timezone.now().isoformat()})

    fresh = UseCase.objects.get(pk=submitted.pk)
    assert getattr(fresh, field) == getattr(submitted, field)
