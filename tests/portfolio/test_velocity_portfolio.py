"""Portfolio momentum and hygiene selectors: template time saved, bottom-up share by month,
expected versus realised benefit, flags by kind; each in a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

from portfolio import selectors_hygiene, selectors_velocity
from portfolio.choices import Origin
from portfolio.models import FlagKind, UseCase
from portfolio.services.flags import flags_reconcile
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.velocity import at, walk


def test_template_based_use_cases_save_time(department, head, django_assert_max_num_queries):
    first = factories.UseCaseFactory(department=department, title="Scratch")
    walk(first, head, [("submit", at(1, 1)), ("advance", at(1, 11)), ("advance", at(2, 10))])
    reuse = factories.UseCaseFactory(department=department, title="Reuse", template=first)
    walk(reuse, head, [("submit", at(1, 2)), ("advance", at(1, 6)), ("advance", at(1, 22))])
    velocity_recompute()

    with django_assert_max_num_queries(1):
        saved = selectors_hygiene.template_time_saved(measure="to_scale")

    assert (saved["scratch_mean_days"], saved["template_mean_days"]) == (40, 20)
    assert (saved["scratch_count"], saved["template_count"]) == (1, 1)
    assert saved["days_saved"] == Decimal("20.0000")


def test_bottom_up_share_by_month(department, head, django_assert_max_num_queries):
    for origin, moment in (
        (Origin.BOTTOM_UP, at(1, 5)),
        (Origin.TOP_DOWN, at(1, 9)),
        (Origin.BOTTOM_UP, at(2, 3)),
    ):
        walk(
            factories.UseCaseFactory(department=department, origin=origin),
            head,
            [("submit", moment)],
        )
    factories.UseCaseFactory(department=department)  # a draft counts nowhere

    with django_assert_max_num_queries(1):
        months = selectors_hygiene.bottom_up_share_by_month()

    assert [(m["month"], m["total"], m["share"]) for m in months] == [
        ("2026-01", 2, 0.5),
        ("2026-02", 1, 1.0),
    ]


def test_expected_versus_realised_benefit_of_live_use_cases(
    department, head, django_assert_max_num_queries
):
    live = factories.UseCaseFactory(department=department, expected_benefit_yearly=240000)
    walk(live, head, [("submit", at(1, 1)), ("advance", at(1, 2)), ("advance", at(1, 3))])
    UseCase.objects.filter(pk=live.pk).update(realised_benefit_yearly=Decimal("180000"))
    walk(factories.UseCaseFactory(department=department), head, [("submit", at(1, 1))])

    with django_assert_max_num_queries(1):
        (row,) = selectors_hygiene.benefit_expected_vs_realised()

    assert (row["department_name"], row["live"]) == ("Claims", 1)
    assert (row["expected"], row["realised"]) == (Decimal("240000"), Decimal("180000"))


def test_flags_by_kind_in_one_query(department, head, django_assert_max_num_queries):
    cases = [factories.UseCaseFactory(department=department) for _ in range(3)]
    flags_reconcile(kind=FlagKind.STALE_METRICS, causes={c.pk: "x" for c in cases})
    flags_reconcile(kind=FlagKind.STALL_IN_PROGRESS, causes={cases[0].pk: "y"})

    with django_assert_max_num_queries(1):
        grouped = selectors_hygiene.flags_by_kind(department_id=department.pk)
        titles = [f.use_case.department.name for flags in grouped.values() for f in flags]

    assert {kind: len(flags) for kind, flags in grouped.items()} == {
        "stale_metrics": 3,
        "stall_in_progress": 1,
    }
    assert titles == ["Claims"] * 4


def test_use_case_durations_for_a_use_case_page(department, head, django_assert_max_num_queries):
    use_case = factories.UseCaseFactory(department=department)
    walk(use_case, head, [("submit", at(1, 1)), ("advance", at(1, 1) + timedelta(days=3))])
    velocity_recompute()

    with django_assert_max_num_queries(1):
        durations = selectors_velocity.use_case_durations(use_case_id=use_case.pk)

    assert list(durations) == ["intake"]
    assert (durations["intake"].value, durations["intake"].label) == (Decimal("3.0000"), "first")
