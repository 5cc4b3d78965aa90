"""The admin writes criteria sets, departments, memberships, boards and seats only through
the services the API calls: a criteria change is a new version (the edited one stays as it
was), a seat keeps its person, nothing is deleted past the services."""

import re
from decimal import Decimal

import pytest

from gates.models import CriteriaSet
from governance.models import Board, BoardMember
from portfolio.models import Department, Membership
from tests import factories
from tests.support.forms import form_data


def admin_post(client, url, **changes):
    page = client.get(url).content.decode()
    return client.post(url, form_data(page, **changes))


def g0():
    return CriteriaSet.objects.get(gate="G0", playbook="", is_current=True)


# --- criteria sets ----------------------------------------------------------------------------


def test_admin_change_of_a_current_set_is_its_next_version(default_criteria, admin_user, client):
    before = g0()
    criteria = list(before.criteria.values_list("label", "threshold"))
    client.force_login(admin_user)

    response = admin_post(
        client, f"/admin/gates/criteriaset/{before.pk}/change/", pass_mark="80", notes="Stricter."
    )

    after = g0()
    old = CriteriaSet.objects.get(pk=before.pk)
    assert response.status_code == 302
    assert (after.version, after.supersedes_id, after.pass_mark) == (
        before.version + 1,
        before.pk,
        Decimal(80),
    )
    assert (old.pass_mark, old.is_current) == (before.pass_mark, False)
    assert list(after.criteria.values_list("label", "threshold")) == criteria
    assert list(old.criteria.values_list("label", "threshold")) == criteria
    assert after.created_by == admin_user


def test_admin_add_is_the_next_version_with_its_criteria(default_criteria, admin_user, client):
    before = g0()
    client.force_login(admin_user)
    criterion = {
        "position": "0",
        "label": "Goalposts set",
        "measurable": "goalposts_set",
        "comparator": "at_least",
        "threshold": "2",
        "kind": "must",
        "weight": "1",
    }

    response = admin_post(
        client,
        "/admin/gates/criteriaset/add/",
        gate="G0",
        playbook="",
        pass_mark="75",
        **{"criteria-TOTAL_FORMS": "1"},
        **{f"criteria-0-{key}": value for key, value in criterion.items()},
    )

    after = g0()
    assert response.status_code == 302
    assert (after.version, after.supersedes_id, after.pass_mark) == (
        before.version + 1,
        before.pk,
        Decimal(75),
    )
    assert list(after.criteria.values_list("label", "threshold")) == [("Goalposts set", Decimal(2))]


@pytest.mark.parametrize("high", ["", "5"])
def test_admin_criteria_are_checked_by_the_service_rules(
    default_criteria, admin_user, client, high
):
    before = g0()
    client.force_login(admin_user)

    response = admin_post(
        client,
        f"/admin/gates/criteriaset/{before.pk}/change/",
        **{
            "criteria-0-comparator": "between",
            "criteria-0-threshold": "10",
            "criteria-0-threshold_high": high,
        },
    )

    assert response.status_code == 200
    assert re.search(r"upper.bound", response.content.decode())
    assert g0().pk == before.pk
    # No new version: the shipped one and compliance's (migration 0007) are all there are.
    assert CriteriaSet.objects.filter(gate="G0", playbook="").count() == before.version


def test_admin_cannot_change_a_set_a_review_used(piloting, admin_user, client):
    used = CriteriaSet.objects.filter(reviews__isnull=False).first()
    client.force_login(admin_user)

    response = client.post(f"/admin/gates/criteriaset/{used.pk}/change/", {"pass_mark": "1"})

    assert response.status_code == 403
    assert CriteriaSet.objects.get(pk=used.pk).pass_mark == used.pass_mark


# --- departments and memberships --------------------------------------------------------------


def test_admin_department_writes_go_through_the_services(department, admin_user, client):
    client.force_login(admin_user)

    added = admin_post(client, "/admin/portfolio/department/add/", name="Legal", slug="legal")
    renamed = admin_post(
        client, f"/admin/portfolio/department/{department.pk}/change/", name="Claims and Care"
    )
    clash = admin_post(client, f"/admin/portfolio/department/{department.pk}/change/", name="Legal")
    delete = client.post(f"/admin/portfolio/department/{department.pk}/delete/", {"post": "yes"})

    assert (added.status_code, renamed.status_code, clash.status_code) == (302, 302, 200)
    assert Department.objects.get(slug="legal").name == "Legal"
    assert Department.objects.get(pk=department.pk).name == "Claims and Care"
    assert delete.status_code == 403


def test_department_page_offers_no_membership_edit(department, head, admin_user, client):
    client.force_login(admin_user)

    page = client.get(f"/admin/portfolio/department/{department.pk}/change/").content.decode()

    assert 'name="memberships-0-role"' not in page
    assert head.username in page


def test_admin_membership_changes_the_role_only_and_removes_through_the_service(
    department, admin_user, client
):
    person, other = factories.UserFactory(), factories.UserFactory()
    client.force_login(admin_user)

    added = client.post(
        "/admin/portfolio/membership/add/",
        {"user": person.pk, "department": department.pk, "role": "member"},
    )
    membership = Membership.objects.get(user=person)
    changed = admin_post(
        client, f"/admin/portfolio/membership/{membership.pk}/change/", role="head", user=other.pk
    )
    removed = client.post(f"/admin/portfolio/membership/{membership.pk}/delete/", {"post": "yes"})

    assert (added.status_code, changed.status_code, removed.status_code) == (302, 302, 302)
    assert not Membership.objects.filter(user=other).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()


# --- boards and seats -------------------------------------------------------------------------


def test_admin_board_change_goes_through_the_service(board, department, admin_user, client):
    the_board = board[0]
    client.force_login(admin_user)

    response = admin_post(
        client,
        f"/admin/governance/board/{the_board.pk}/change/",
        name="Investment board",
        departments=[str(department.pk)],
    )
    page = client.get(f"/admin/governance/board/{the_board.pk}/change/").content.decode()

    board_now = Board.objects.get(pk=the_board.pk)
    assert response.status_code == 302
    assert board_now.name == "Investment board"
    assert list(board_now.departments.all()) == [department]
    assert 'name="members-0-user"' not in page


def test_admin_seat_keeps_its_person_and_is_withdrawn_not_deleted(board, admin_user, client):
    seat = board[1][1]
    voter = seat.user
    stranger = factories.UserFactory()
    client.force_login(admin_user)
    url = f"/admin/governance/boardmember/{seat.pk}/change/"

    changed = client.post(url, {"user": stranger.pk, "is_voting": "on", "is_chair": ""})
    seat.refresh_from_db()
    deleted = client.post(f"/admin/governance/boardmember/{seat.pk}/delete/", {"post": "yes"})

    assert changed.status_code == 302
    assert (seat.user, seat.active, seat.is_voting) == (voter, False, True)
    assert deleted.status_code == 403
    assert BoardMember.objects.filter(pk=seat.pk).exists()


def test_admin_gives_a_seat_through_the_service(board, admin_user, client):
    person = factories.UserFactory()
    client.force_login(admin_user)

    response = client.post(
        "/admin/governance/boardmember/add/",
        {"board": board[0].pk, "user": person.pk, "is_voting": "on"},
    )

    assert response.status_code == 302
    seat = BoardMember.objects.get(user=person)
    assert (seat.board, seat.active, seat.is_voting, seat.is_chair) == (
        board[0],
        True,
        True,
        False,
    )


@pytest.mark.parametrize("path", ["department", "membership"])
def test_executives_read_and_do_not_write(path, executive, client):
    client.force_login(executive)

    assert client.get(f"/admin/portfolio/{path}/").status_code == 200
    assert client.get(f"/admin/portfolio/{path}/add/").status_code == 403
