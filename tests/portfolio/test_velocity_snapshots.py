"""Durations and labels computed set-based in SQL from the transition record, checked against
a department whose figures were worked out by hand."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from portfolio import selectors_velocity, services
from portfolio.models import VelocitySnapshot
from portfolio.services.velocity import velocity_recompute
from tests import factories


def Authorisation():
    """A saved row answering the GateAuthorisation protocol, standing in for a gate decision
    (the real decisions are tested in tests/governance)."""
    row = factories.DepartmentFactory(name="Authorising row", slug="authorising-row")
    row.authorises_forward_move = lambda *, use_case: True
    return row


def at(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def walk(use_case, head, steps):
    """Apply (transition, moment) steps through the lifecycle services."""
    for step, moment in steps:
        if step == "submit":
            use_case = services.use_case_submit(use_case=use_case, actor=head, at=moment)
        elif step == "advance":
            use_case = services.use_case_advance(
                use_case=use_case, authorisation=Authorisation(), actor=head, at=moment
            )
        elif step == "hold":
            use_case = services.use_case_hold(use_case=use_case, actor=head, at=moment)
        elif step == "resume":
            use_case = services.use_case_resume(use_case=use_case, actor=head, at=moment)
        elif step == "kill":
            use_case = services.use_case_kill(
                use_case=use_case, actor=head, reason="no value", lesson=factories.LESSON, at=moment
            )
    return use_case


@pytest.fixture
def claims(department, head):
    """Seven use cases in submission order (worked out by hand in the tests below).

    intake days: A 10, B 8, C 10.5 (2 days on hold excluded), D killed, E 10.5 (tie with C),
    F still submitted, G 12. Pilot: A 30, B 41. Time to scale: A 40, B 49.
    """
    plans = {
        "A": [("submit", at(1, 1)), ("advance", at(1, 11)), ("advance", at(2, 10))],
        "B": [("submit", at(1, 2)), ("advance", at(1, 10)), ("advance", at(2, 20))],
        "C": [
            ("submit", at(1, 3)),
            ("hold", at(1, 5)),
            ("resume", at(1, 7)),
            ("advance", at(1, 15, 12)),
        ],
        "D": [("submit", at(1, 4)), ("kill", at(1, 6))],
        "E": [("submit", at(1, 5)), ("advance", at(1, 15, 12))],
        "F": [("submit", at(1, 6))],
        "G": [("submit", at(1, 7)), ("advance", at(1, 19))],
    }
    cases = {}
    for name, steps in plans.items():
        use_case = factories.UseCaseFactory(department=department, title=name)
        cases[name] = walk(use_case, head, steps)
    return cases


def rows(scope, measure):
    return list(
        VelocitySnapshot.objects.filter(scope=scope, measure=measure, use_case__isnull=False)
        .select_related("use_case")
        .order_by("position")
    )


def test_intake_durations_and_labels_match_the_hand_computation(claims, department):
    velocity_recompute(department_id=department.pk)

    intake = rows(f"department:{department.pk}", "intake")
    assert [(r.use_case.title, r.value, r.label) for r in intake] == [
        ("A", Decimal("10.0000"), "first"),
        ("B", Decimal("8.0000"), "faster"),
        ("C", Decimal("10.5000"), "slower"),
        ("E", Decimal("10.5000"), "same"),
        ("G", Decimal("12.0000"), "slower"),
    ]
    c = intake[2]
    assert c.hold_days == Decimal("2.0000")
    assert c.previous_use_case == claims["B"]
    assert (c.difference_days, c.ratio) == (Decimal("2.5000"), Decimal("1.3125"))
    assert intake[4].ratio == Decimal("1.1429")
    assert intake[0].previous_use_case is None and intake[0].ratio is None


def test_killed_and_unfinished_use_cases_have_no_durations(claims, department):
    velocity_recompute(department_id=department.pk)

    titles = set(
        VelocitySnapshot.objects.filter(use_case__isnull=False).values_list(
            "use_case__title", flat=True
        )
    )
    assert "D" not in titles and "F" not in titles


def test_missing_stages_leave_only_completed_measures(claims, department):
    velocity_recompute(department_id=department.pk)

    scope = f"department:{department.pk}"
    assert [(r.use_case.title, r.value, r.label) for r in rows(scope, "pilot")] == [
        ("A", Decimal("30.0000"), "first"),
        ("B", Decimal("41.0000"), "slower"),
    ]
    assert [r.value for r in rows(scope, "to_scale")] == [Decimal("40.0000"), Decimal("49.0000")]
    assert rows(scope, "to_extend") == []


def test_department_trend_share_streak_slope_and_status(claims, department):
    velocity_recompute(department_id=department.pk)

    trends = {t.measure: t for t in selectors_velocity.velocity_trends(department_id=department.pk)}
    intake = trends["trend:intake"]
    assert intake.position == 5
    assert intake.share_faster == Decimal("0.2500")
    assert intake.streak == 1
    assert intake.value == Decimal("0.6250")
    assert intake.median_days == Decimal("10.5000")
    assert intake.label == "decelerating"
    pilot = trends["trend:pilot"]
    assert (pilot.share_faster, pilot.streak, pilot.label) == (Decimal("0"), 1, "insufficient")


def test_a_single_use_case_is_first_with_no_trend(other_department, other_head):
    only = factories.UseCaseFactory(department=other_department)
    walk(only, other_head, [("submit", at(3, 1)), ("advance", at(3, 4, 6))])

    velocity_recompute(department_id=other_department.pk)

    (row,) = rows(f"department:{other_department.pk}", "intake")
    assert (row.value, row.label, row.previous_use_case) == (Decimal("3.2500"), "first", None)
    trend = VelocitySnapshot.objects.get(
        scope=f"department:{other_department.pk}", measure="trend:intake"
    )
    assert (trend.share_faster, trend.streak, trend.label) == (None, 0, "insufficient")


def test_equal_submission_times_are_ordered_by_id(department, head):
    first = factories.UseCaseFactory(department=department)
    second = factories.UseCaseFactory(department=department)
    walk(second, head, [("submit", at(1, 1)), ("advance", at(1, 5))])
    walk(first, head, [("submit", at(1, 1)), ("advance", at(1, 3))])

    velocity_recompute(department_id=department.pk)

    intake = rows(f"department:{department.pk}", "intake")
    assert [r.use_case for r in intake] == [first, second]
    assert [r.label for r in intake] == ["first", "slower"]


def test_portfolio_scope_sequences_across_departments(claims, other_department, other_head):
    late = factories.UseCaseFactory(department=other_department, title="H")
    walk(late, other_head, [("submit", at(1, 8)), ("advance", at(1, 14))])

    velocity_recompute()

    intake = rows("portfolio", "intake")
    assert [(r.use_case.title, r.label) for r in intake][-2:] == [("G", "slower"), ("H", "faster")]
    other = rows(f"department:{other_department.pk}", "intake")
    assert [(r.use_case.title, r.label) for r in other] == [("H", "first")]


def test_a_rerun_leaves_identical_rows(claims, department):
    velocity_recompute()
    before = list(VelocitySnapshot.objects.order_by("id").values())

    result = velocity_recompute()

    assert list(VelocitySnapshot.objects.order_by("id").values()) == before
    assert result.duration_rows == 0


def test_a_later_completion_relabels_its_successor(claims, department, head):
    velocity_recompute(department_id=department.pk)
    walk(claims["F"], head, [("advance", at(1, 20))])  # F: 14 days, between E and G

    velocity_recompute(department_id=department.pk)

    intake = rows(f"department:{department.pk}", "intake")
    assert [(r.use_case.title, r.label) for r in intake][-2:] == [("F", "slower"), ("G", "faster")]
    assert VelocitySnapshot.objects.filter(measure="intake", use_case=claims["G"]).count() == 1


def test_department_velocity_selector_has_a_fixed_query_count(
    claims, department, django_assert_max_num_queries
):
    velocity_recompute()

    with django_assert_max_num_queries(2):
        result = selectors_velocity.department_velocity(
            department_id=department.pk, measure="intake"
        )
        labels = [(r.use_case.title, r.label, r.previous_use_case_id) for r in result["sequence"]]

    assert labels[1] == ("B", "faster", claims["A"].pk)
    assert result["trend"].label == "decelerating"
