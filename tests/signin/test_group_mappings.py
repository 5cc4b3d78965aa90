"""Group mappings (API and admin) and how sign-in applies them to a person's roles."""

import pytest
from django.contrib.auth.models import Group

from core.roles import EXECUTIVES_GROUP, forget_roles, roles_of
from governance.services import board_create, board_member_add
from portfolio.choices import DepartmentRole
from portfolio.services import membership_set
from signin.models import GroupMapping
from signin.services import group_mapping_create, person_sign_in
from tests import factories

pytestmark = pytest.mark.django_db
ISSUER = "https://login.example.com"


def _sign_in(groups, subject="s-1"):
    user, changes = person_sign_in(
        issuer=ISSUER, subject=subject, claims={"preferred_username": subject}, groups=groups
    )
    forget_roles(user)
    return user, changes


def _post(client, data):
    return client.post("/api/group-mappings/", data, content_type="application/json")


def test_an_administrator_maps_a_group_through_the_api(client, admin_user, department):
    client.force_login(admin_user)

    response = _post(
        client, {"group": "claims-heads", "role": "department_head", "department": department.pk}
    )

    assert response.status_code == 201
    assert response.json()["department_name"] == "Claims"
    assert GroupMapping.objects.get().group == "claims-heads"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"group": "g", "role": "department_head"}, "department"),
        ({"group": "g", "role": "board_member"}, "board"),
        ({"group": "g", "role": "executive", "department": "DEPT"}, "department"),
        ({"group": "g", "role": "chief"}, "role"),
        ({"role": "executive"}, "group"),
    ],
)
def test_a_mapping_that_misses_what_its_role_needs_is_a_400_on_the_field(
    client, admin_user, department, data, field
):
    client.force_login(admin_user)
    data = {k: department.pk if v == "DEPT" else v for k, v in data.items()}

    response = _post(client, data)

    assert response.status_code == 400 and field in response.json()["fields"]


def test_mapping_the_same_group_twice_is_a_409(client, admin_user):
    client.force_login(admin_user)
    _post(client, {"group": "leaders", "role": "executive"})

    response = _post(client, {"group": "leaders", "role": "executive"})

    assert response.status_code == 409 and response.json()["code"] == "mapping_exists"


def test_only_administrators_see_and_manage_mappings(client, executive, head):
    group_mapping_create(group="leaders", role="executive")
    for person in (executive, head):
        client.force_login(person)
        assert client.get("/api/group-mappings/").status_code == 403
        refused = _post(client, {"group": "x", "role": "executive"})
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


def test_an_administrator_deletes_a_mapping(client, admin_user):
    mapping = group_mapping_create(group="leaders", role="executive")
    client.force_login(admin_user)

    assert client.delete(f"/api/group-mappings/{mapping.pk}/").status_code == 204
    assert not GroupMapping.objects.exists()


def test_an_administrator_adds_a_mapping_in_the_admin(client, admin_user):
    board = board_create(name="Risk board")
    client.force_login(admin_user)

    response = client.post(
        "/admin/signin/groupmapping/add/",
        {"group": "risk", "role": "board_member", "board": board.pk, "department": ""},
    )

    assert response.status_code == 302
    assert GroupMapping.objects.get().board == board


def test_the_mapping_list_costs_the_same_queries_for_many_rows(
    client, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    department = factories.DepartmentFactory()
    group_mapping_create(group="g0", role="department_member", department=department)
    with django_assert_max_num_queries(8) as few:
        client.get("/api/group-mappings/")
    for n in range(10):
        board = board_create(name=f"Board {n}")
        group_mapping_create(group=f"b{n}", role="board_member", board=board)
        group_mapping_create(
            group=f"d{n}", role="department_head", department=factories.DepartmentFactory()
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/group-mappings/").json()["count"] == 21


def test_head_wins_over_member_when_two_groups_name_the_same_department(department):
    group_mapping_create(group="claims", role="department_member", department=department)
    group_mapping_create(group="claims-leads", role="department_head", department=department)

    person, _ = _sign_in(["claims", "claims-leads"])
    assert person.memberships.get().role == DepartmentRole.HEAD

    person, _ = _sign_in(["claims"])
    assert person.memberships.get().role == DepartmentRole.MEMBER


def test_a_role_no_mapping_names_is_never_touched(department, other_department):
    group_mapping_create(group="claims", role="department_member", department=department)
    person, _ = _sign_in(["claims"])
    membership_set(user=person, department=other_department, role=DepartmentRole.HEAD)
    person.groups.add(Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0])
    board = board_create(name="Ethics board")
    board_member_add(board=board, user=person, is_chair=True)

    person, changes = _sign_in([])

    roles = roles_of(person)
    assert changes.removed == [f"department:{department.pk}"]
    assert roles.heads == {other_department.pk} and roles.is_executive
    assert roles.boards == {board.pk} and person.board_seats.get().is_chair


def test_a_role_a_mapping_names_follows_the_groups_even_if_granted_by_hand(department):
    group_mapping_create(group="claims", role="department_member", department=department)
    person, _ = _sign_in(["marketing"])
    membership_set(user=person, department=department, role=DepartmentRole.HEAD)

    person, changes = _sign_in(["marketing"])

    assert changes.removed == [f"department:{department.pk}"]
    assert roles_of(person).member_of == frozenset()


def test_administrator_from_a_group_opens_the_admin_and_closes_it_when_gone():
    group_mapping_create(group="flywheel-admins", role="administrator")

    person, changes = _sign_in(["flywheel-admins"])
    assert roles_of(person).is_admin and person.is_staff and changes.granted == ["administrator"]

    person, changes = _sign_in([])
    assert not roles_of(person).is_admin and not person.is_staff
    assert changes.removed == ["administrator"]


def test_a_board_seat_comes_back_at_the_next_sign_in_after_the_group_returns():
    board = board_create(name="Risk board")
    group_mapping_create(group="risk", role="board_member", board=board)
    _sign_in(["risk"])
    _sign_in([])

    person, changes = _sign_in(["risk"])

    assert changes.granted == [f"board:{board.pk}"]
    assert person.board_seats.get().active
