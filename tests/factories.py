"""Factories for the whole suite. A complete intake is the default, so tests say what differs."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import ADMINISTRATORS_GROUP, EXECUTIVES_GROUP
from portfolio.choices import (
    Cadence,
    DepartmentRole,
    Direction,
    Horizon,
    Knowledge,
    MetricKind,
    Origin,
    ResourceControl,
)
from portfolio.models import DataGap, Department, Membership, Metric, MetricReading, UseCase
from portfolio.services import LessonInput

# A lesson for the tests that kill or retire (a stop records one, PRODUCT.md).
LESSON = LessonInput("The data was not there.", "data", "The labelled sample.")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("pass-word-123")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = DepartmentRole.HEAD


def head_of(department: Department, **user_fields):
    """A new person who heads ``department``."""
    user = UserFactory(**user_fields)
    return MembershipFactory(user=user, department=department, role=DepartmentRole.HEAD).user


def member_of(department: Department):
    return MembershipFactory(department=department, role=DepartmentRole.MEMBER).user


def executive(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0])
    return user


def administrator(**fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    return user


class UseCaseFactory(factory.django.DjangoModelFactory):
    """A draft whose intake is complete (metrics included), ready to submit."""

    class Meta:
        model = UseCase
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Use case {n}")
    problem_statement = "Claims take nine days to settle."
    department = factory.SubFactory(DepartmentFactory)
    origin = Origin.BOTTOM_UP
    outcome_owner = factory.SubFactory(UserFactory)
    owner_controls_resources = ResourceControl.YES
    data_assumed = "Five years of labelled claims."
    data_existing = "Three years of labelled claims in the warehouse."
    build_cost = Decimal("100000")
    run_cost_yearly = Decimal("20000")
    expected_benefit_yearly = Decimal("240000")
    autonomy_share = Decimal("40")
    execution_budget_share = Decimal("30")
    sponsor = factory.SubFactory(UserFactory)
    operator_team = "Claims operations"
    operator_lead = factory.SubFactory(UserFactory)
    success_definition = "Settlement time halves without more complaints."
    horizon = Horizon.SHORT
    knowledge = Knowledge.FACTS
    risk_prohibited_practice = False
    risk_annex_iii_area = False
    risk_safety_component = False
    risk_transparency_duty = False

    @factory.post_generation
    def with_metrics(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            business = MetricFactory(use_case=obj)
            MetricFactory(
                use_case=obj,
                kind=MetricKind.TECHNICAL,
                name="Model accuracy",
                unit="%",
                baseline=None,
                target=None,
                paired_with=business,
            )


def use_cases_in_bulk(n: int, *, department: Department, person) -> list[UseCase]:
    """n drafts in one insert, each with ``person`` as owner, sponsor and operator lead and
    no metrics (for tests that need many rows, not many people: a factory per row costs
    three users and two metrics each)."""
    rows = UseCaseFactory.build_batch(
        n, department=department, outcome_owner=person, sponsor=person, operator_lead=person
    )
    return UseCase.objects.bulk_create(rows)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    use_case = factory.SubFactory(UseCaseFactory, with_metrics=False)
    kind = MetricKind.BUSINESS
    name = factory.Sequence(lambda n: f"Cycle time {n}")
    unit = "days"
    direction = Direction.LOWER
    baseline = Decimal("9")
    target = Decimal("4")
    cadence = Cadence.WEEKLY


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricReading

    metric = factory.SubFactory(MetricFactory)
    value = Decimal("7")
    measured_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class DataGapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataGap

    use_case = factory.SubFactory(UseCaseFactory)
    description = "Two years of claims are not labelled."
    closing_work = "Labelling sprint"
    work_owner = "Data team"
    owner_committed = True
    blocks_production = False


# --- gates and governance (issue 3) -----------------------------------------------------------


class BoardFactory(factory.django.DjangoModelFactory):
    """A board covering the whole portfolio unless departments are given."""

    class Meta:
        model = "governance.Board"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Board {n}")
    covers_all = True
    quorum_minimum = 0


class BoardMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.BoardMember"

    board = factory.SubFactory(BoardFactory)
    user = factory.SubFactory(UserFactory)
    active = True
    is_voting = True
    is_chair = False


def board_with(voting: int = 3, *, chair: bool = True, **board_fields):
    """A board with a chair (who votes) and ``voting - 1`` further voting members."""
    board = BoardFactory(**board_fields)
    seats = [BoardMemberFactory(board=board, is_chair=chair and i == 0) for i in range(voting)]
    return board, seats


def submitted(department, head, *, at=None, **fields):
    """A use case with a complete intake, submitted by the department's head."""
    from portfolio import services

    use_case = UseCaseFactory(department=department, **fields)
    return services.use_case_submit(use_case=use_case, actor=head, at=at)
