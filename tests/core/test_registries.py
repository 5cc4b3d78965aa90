"""The hooks the layers above fill in: role sources and the sweeps of `manage.py velocity`."""

from django.contrib.auth.models import Group

from core.roles import ADMINISTRATORS_GROUP, EXECUTIVES_GROUP, forget_roles, roles_of
from core.sweeps import sweeps_registered
from tests import factories


def test_roles_combine_the_groups_and_every_registered_source(department, board):
    the_board, seats = board
    person = seats[1].user
    factories.MembershipFactory(user=person, department=department, role="head")

    roles = roles_of(person)

    assert roles.boards == frozenset({the_board.pk})
    assert roles.heads == frozenset({department.pk})
    assert roles.is_board_member and roles.is_department_head
    assert not roles.is_executive and not roles.is_admin


def test_department_roles_come_from_the_portfolio_source(department, head):
    roles = roles_of(head)

    assert roles.heads == frozenset({department.pk})
    assert roles.member_of == frozenset({department.pk})
    assert roles.boards == frozenset()


def test_the_groups_and_the_department_roles_are_one_query(
    department, head, django_assert_num_queries
):
    person = factories.UserFactory()
    person.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    factories.MembershipFactory(user=person, department=department, role="member")

    with django_assert_num_queries(1):
        roles = roles_of(person)
        assert roles.is_admin and roles.member_of == frozenset({department.pk})
        assert roles.reads_published and not roles.is_department_head
    fresh = type(head).objects.get(pk=head.pk)
    with django_assert_num_queries(1):
        assert roles_of(fresh).heads == frozenset({department.pk})


def test_the_groups_the_departments_and_the_board_seats_are_one_query(
    department, board, django_assert_num_queries
):
    the_board, seats = board
    person = type(seats[1].user).objects.get(pk=seats[1].user.pk)
    factories.MembershipFactory(user=person, department=department, role="member")
    person.groups.add(Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0])

    with django_assert_num_queries(1):
        roles = roles_of(person)
    with django_assert_num_queries(0):
        assert roles.boards == frozenset({the_board.pk}) and roles.is_board_member
        assert roles.member_of == frozenset({department.pk}) and roles.is_executive
        assert roles.reads_published and not roles.is_admin


def test_a_withdrawn_seat_is_no_board_role(board):
    _, seats = board
    seats[1].active = False
    seats[1].save(update_fields=["active"])
    person = type(seats[1].user).objects.get(pk=seats[1].user.pk)

    assert roles_of(person).boards == frozenset() and not roles_of(person).is_board_member


def test_roles_are_cached_for_the_request_until_forgotten(executive, django_assert_num_queries):
    roles_of(executive)
    with django_assert_num_queries(0):
        assert roles_of(executive).is_executive
    executive.groups.clear()
    assert roles_of(executive).is_executive  # still the cached answer
    forget_roles(executive)
    assert not roles_of(executive).is_executive
    assert EXECUTIVES_GROUP  # the group name core owns


def test_anonymous_has_no_role():
    assert roles_of(None).is_authenticated is False


def test_the_apps_above_portfolio_register_their_sweeps_for_the_velocity_command():
    # In the order of INSTALLED_APPS: governance's review flags, the console's dashboard
    # snapshot, compliance's overdue duties, components' incident and vendor flags.
    assert [task.name for task in sweeps_registered()] == [
        "governance.tasks.watch_sweep",
        "console.tasks.dashboard_snapshot",
        "compliance.tasks.obligations_sweep",
        "components.tasks.incidents_sweep",
    ]
