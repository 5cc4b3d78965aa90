"""Sign-in against a real OpenID Connect provider process (see conftest)."""

import pytest
from django.contrib.auth import get_user_model

from core.roles import forget_roles, roles_of
from governance.services import board_create
from portfolio.choices import DepartmentRole
from signin.models import Identity
from signin.services import group_mapping_create
from tests.signin.oidc import sign_in

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_first_sign_in_creates_the_person_with_the_mapped_roles(client, configured, department):
    board = board_create(name="Risk board")
    group_mapping_create(group="claims-heads", role="department_head", department=department)
    group_mapping_create(group="risk-board", role="board_member", board=board)
    group_mapping_create(group="leadership", role="executive")
    subject = configured.person("ines", groups=["claims-heads", "risk-board", "leadership", "x"])

    response = sign_in(client, configured, "ines")

    assert response.status_code == 302 and response["Location"] == "/"
    identity = Identity.objects.select_related("user").get(issuer=configured.issuer)
    person = identity.user
    assert identity.subject == subject
    assert (person.username, person.email, person.first_name) == (
        "ines",
        "ines@corp.example",
        "Pat",
    )
    assert not person.has_usable_password()
    roles = roles_of(person)
    assert roles.heads == {department.pk}
    assert roles.boards == {board.pk}
    assert roles.is_executive and person.is_staff
    assert not roles.is_admin
    assert client.get("/").wsgi_request.user == person
    assert client.session.get_expiry_age() == 8 * 3600


def test_a_group_removed_at_the_provider_removes_the_role_at_the_next_sign_in(
    client, configured, department, other_department
):
    board = board_create(name="Risk board")
    group_mapping_create(group="claims-heads", role="department_head", department=department)
    group_mapping_create(group="risk-board", role="board_member", board=board)
    group_mapping_create(group="leadership", role="executive")
    configured.person("ines", groups=["claims-heads", "risk-board", "leadership"])
    sign_in(client, configured, "ines")
    person = User.objects.get(username="ines")
    # A role an administrator granted by hand, in a department no mapping names.
    from portfolio.services import membership_set

    membership_set(user=person, department=other_department, role=DepartmentRole.MEMBER)
    client.logout()

    configured.person("ines", groups=["claims-heads"])
    response = sign_in(client, configured, "ines")

    assert response.status_code == 302
    person.refresh_from_db()
    forget_roles(person)
    roles = roles_of(person)
    assert roles.heads == {department.pk}
    assert roles.boards == frozenset()
    assert person.board_seats.get().active is False
    assert not roles.is_executive and not person.is_staff
    assert roles.member_of == {department.pk, other_department.pk}
    assert User.objects.filter(identities__isnull=False).count() == 1
    assert Identity.objects.get().groups == ["claims-heads"]


def test_a_deleted_mapping_takes_its_role_away_at_the_next_sign_in(client, configured, department):
    mapping = group_mapping_create(group="claims", role="department_member", department=department)
    configured.person("ines", groups=["claims"])
    sign_in(client, configured, "ines")
    client.logout()
    assert roles_of(User.objects.get(username="ines")).member_of == {department.pk}

    from signin.services import group_mapping_delete

    group_mapping_delete(mapping=mapping)
    response = sign_in(client, configured, "ines")

    assert response["Location"] == "/signin/no-role/"
    assert roles_of(User.objects.get(username="ines")).member_of == frozenset()


def test_an_unmapped_person_gets_no_role_and_a_page_saying_so(client, configured, department):
    group_mapping_create(group="claims-heads", role="department_head", department=department)
    configured.person("sam", groups=["marketing", "all-staff"])

    response = sign_in(client, configured, "sam")

    assert response.status_code == 302 and response["Location"] == "/signin/no-role/"
    person = User.objects.get(username="sam")
    assert roles_of(person) == roles_of(person).__class__(is_authenticated=True)
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "You have no role in Flywheel yet" in text
    assert "<code>all-staff</code>, <code>marketing</code>" in text


def test_people_are_matched_by_subject_never_by_email(client, configured, department):
    from tests import factories

    local = factories.UserFactory(username="ines", email="ines@corp.example")
    group_mapping_create(group="claims", role="department_member", department=department)
    configured.person("ines", groups=["claims"])

    sign_in(client, configured, "ines")

    person = Identity.objects.get().user
    assert person != local
    assert person.email == local.email
    assert person.username.startswith("ines-")
    assert roles_of(local).member_of == frozenset()


def test_a_linked_local_account_keeps_its_roles_and_gains_the_mapped_ones(
    client, configured, department, other_department
):
    from signin.services import identity_link
    from tests import factories

    local = factories.head_of(other_department, username="ines.local")
    group_mapping_create(group="claims", role="department_member", department=department)
    subject = configured.person("ines", groups=["claims"])
    identity_link(user=local, issuer=configured.issuer, subject=subject)

    sign_in(client, configured, "ines")

    forget_roles(local)
    assert roles_of(local).member_of == {department.pk, other_department.pk}
    assert roles_of(local).heads == {other_department.pk}
    assert User.objects.count() == 1
