"""Walk a use case through its lifecycle at given moments, for the velocity tests."""

from datetime import UTC, datetime

import pytest

from portfolio import services
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


@pytest.fixture
def slow_pilot(department, head):
    """B entered pilot slower than A; both are in pilot."""
    first = factories.UseCaseFactory(department=department, title="A")
    walk(first, head, [("submit", at(1, 1)), ("advance", at(1, 5))])
    second = factories.UseCaseFactory(department=department, title="B")
    return walk(second, head, [("submit", at(1, 2)), ("advance", at(1, 12))])
