"""Completion histories for the forecast tests, by day."""

from datetime import UTC, datetime

import pytest

from portfolio.services.forecast import forecasts_refresh
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.velocity import walk


def day(year, month, dd, hour=0):
    return datetime(year, month, dd, hour, tzinfo=UTC)


@pytest.fixture
def history(department, head, other_department, other_head):
    """Claims: A-D submitted 1-4 January 2026 with intakes 10, 20, 15, 30 days; A-C scale
    10 days after pilot. F submitted 20 January (pilot 3 March: 42 days), E 1 March (pilot
    5 March: 4 days). The other department: P, Q, R submitted 29-31 December 2025, intake 5."""
    plans = {
        "P": (
            other_department,
            other_head,
            [("submit", day(2025, 12, 29)), ("advance", day(2026, 1, 3))],
        ),
        "Q": (
            other_department,
            other_head,
            [("submit", day(2025, 12, 30)), ("advance", day(2026, 1, 4))],
        ),
        "R": (
            other_department,
            other_head,
            [("submit", day(2025, 12, 31)), ("advance", day(2026, 1, 5))],
        ),
        "A": (
            department,
            head,
            [
                ("submit", day(2026, 1, 1)),
                ("advance", day(2026, 1, 11)),
                ("advance", day(2026, 1, 21)),
            ],
        ),
        "B": (
            department,
            head,
            [
                ("submit", day(2026, 1, 2)),
                ("advance", day(2026, 1, 22)),
                ("advance", day(2026, 2, 1)),
            ],
        ),
        "C": (
            department,
            head,
            [
                ("submit", day(2026, 1, 3)),
                ("advance", day(2026, 1, 18)),
                ("advance", day(2026, 1, 28)),
            ],
        ),
        "D": (department, head, [("submit", day(2026, 1, 4)), ("advance", day(2026, 2, 3))]),
        "F": (department, head, [("submit", day(2026, 1, 20)), ("advance", day(2026, 3, 3))]),
        "E": (department, head, [("submit", day(2026, 3, 1)), ("advance", day(2026, 3, 5))]),
    }
    cases = {}
    for name, (dept, person, steps) in plans.items():
        cases[name] = walk(factories.UseCaseFactory(department=dept, title=name), person, steps)
    velocity_recompute(force=True)
    forecasts_refresh(at=day(2026, 3, 6))
    return cases


def e_scales_and_one_is_submitted(history, head, department, submitter, title):
    """E (Claims) reaches scale on 20 March, and ``title`` is submitted in ``department``
    on 21 March by ``submitter``; the velocity rows recomputed."""
    walk(history["E"], head, [("advance", day(2026, 3, 20))])
    walk(
        factories.UseCaseFactory(department=department, title=title),
        submitter,
        [("submit", day(2026, 3, 21))],
    )
    velocity_recompute(force=True)
