"""The forecasts' refresh after a transition reads one department and the portfolio's tail:
its queries do not grow with the portfolio, and it leaves the rows a full recompute
leaves, the portfolio fallback included (PRODUCT.md, "The flywheel looks ahead")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import ForecastSnapshot
from portfolio.services.forecast import forecasts_refresh
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.forecast import day, e_scales_and_one_is_submitted
from tests.support.velocity import walk

COLUMNS = ("scope", "measure", "use_case_id", "days", "low", "high", "n", "basis", "actual_days")


def rows():
    return list(
        ForecastSnapshot.objects.order_by("scope", "measure", "use_case_id").values_list(*COLUMNS)
    )


def completed(department, head, count, *, first_day):
    """``count`` use cases submitted a day apart from ``first_day`` of January 2026, each
    in pilot 10 days later and at scale 10 days after that."""
    for i in range(count):
        start = first_day + i
        walk(
            factories.UseCaseFactory(department=department, title=f"more {department.pk} {i}"),
            head,
            [
                ("submit", day(2026, 1, start)),
                ("advance", day(2026, 1, start + 10)),
                ("advance", day(2026, 2, start)),
            ],
        )


def refresh_queries(department, head, title, moment) -> int:
    """A submission in ``department``, then the refresh after it: its query count."""
    walk(factories.UseCaseFactory(department=department, title=title), head, [("submit", moment)])
    velocity_recompute(force=True)
    with CaptureQueriesContext(connection) as queries:
        forecasts_refresh(department_id=department.pk, at=moment)
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_refresh_after_a_transition_reads_a_fixed_number_of_queries(
    history, department, head, other_department, other_head
):
    # The history (tests/support/forecast.py): 9 use cases, 11 completed durations.
    small = refresh_queries(department, head, "N1", day(2026, 3, 21))
    # Ten more use cases reach scale, in both departments: 31 more completed durations.
    completed(other_department, other_head, 6, first_day=5)
    completed(department, head, 4, first_day=12)
    forecasts_refresh(at=day(2026, 3, 22))
    large = refresh_queries(department, head, "N2", day(2026, 3, 23))
    assert large == small
    # The same reads in a department that falls back to the portfolio (nobody completed
    # anything there): one moment's portfolio tail more, whatever the portfolio's size.
    new = factories.DepartmentFactory(name="Legal", slug="legal")
    new_head = factories.head_of(new, username="legal-head")
    fallback = refresh_queries(new, new_head, "L1", day(2026, 3, 24))
    completed(other_department, other_head, 3, first_day=15)
    forecasts_refresh(at=day(2026, 3, 25))
    assert refresh_queries(new, new_head, "L2", day(2026, 3, 26)) == fallback


@pytest.mark.django_db
def test_a_refresh_in_a_department_that_falls_back_equals_the_full_recompute(
    history, department, head
):
    # Legal has nothing completed: its new submission, its next-submission forecasts and
    # the portfolio's come from the portfolio's sequence at each moment; Claims completes
    # E's scale at the same time (its own refresh then runs too).
    new = factories.DepartmentFactory(name="Legal", slug="legal")
    new_head = factories.head_of(new, username="legal-head")
    e_scales_and_one_is_submitted(history, head, new, new_head, "L")
    forecasts_refresh(department_id=department.pk, at=day(2026, 3, 22))
    forecasts_refresh(department_id=new.pk, at=day(2026, 3, 22))
    after_departments = rows()
    forecasts_refresh(at=day(2026, 3, 22))
    assert after_departments == rows()
    # Legal's submission had the portfolio's intake forecast: n = 9 intakes completed by
    # 21 March (P, Q, R, A, B, C, D, F, E).
    legal = ForecastSnapshot.objects.get(use_case__title="L", measure="intake")
    assert (legal.basis, legal.n) == ("portfolio", 9)
