"""The Art. 73 and Art. 26(5) clocks, pinned one day either side of each deadline with a fixed
clock. Periods from Regulation (EU) 2024/1689 (tests/corpus/ai_act_incidents/NOTES.md)."""

import datetime as dt

import pytest

from components.clocks import incident_clocks

AWARE = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def report_clock(**facts):
    clocks = incident_clocks(serious=True, deployer=False, aware_at=AWARE, **facts)
    assert len(clocks) == 1
    return clocks[0]


@pytest.mark.parametrize(
    ("facts", "days", "article"),
    [
        # Art. 73(2): not later than 15 days after becoming aware: 1 Sep + 15 = 16 Sep.
        ({"death": False, "widespread": False}, 15, "Art. 73(2)"),
        # Art. 73(4): a death, not later than 10 days: 1 Sep + 10 = 11 Sep.
        ({"death": True, "widespread": False}, 10, "Art. 73(4)"),
        # Art. 73(3): widespread infringement / Art. 3(49)(b), not later than 2 days: 3 Sep.
        ({"death": False, "widespread": True}, 2, "Art. 73(3)"),
        # Both: the shortest period binds (2 days).
        ({"death": True, "widespread": True}, 2, "Art. 73(3)"),
    ],
)
def test_report_clock_one_day_either_side(facts, days, article):
    clock = report_clock(**facts)
    assert clock.article == article
    assert clock.due_at == AWARE + dt.timedelta(days=days)
    day_before, day_after = clock.due_at - DAY, clock.due_at + DAY
    assert (clock.status(day_before), clock.overdue(day_before)) == ("due", False)
    assert (clock.status(day_after), clock.overdue(day_after)) == ("overdue", True)


def test_the_fifteen_day_clock_as_calendar_dates():
    clock = report_clock(death=False, widespread=False)
    assert clock.due_at == dt.datetime(2026, 9, 16, 10, 0, tzinfo=dt.UTC)
    assert not clock.overdue(dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC))
    assert clock.overdue(dt.datetime(2026, 9, 17, 10, 0, tzinfo=dt.UTC))


def test_a_report_made_stops_the_clock_and_says_whether_it_was_late():
    on_time = incident_clocks(
        serious=True,
        death=True,
        widespread=False,
        deployer=False,
        aware_at=AWARE,
        authority_reported_at=AWARE + 9 * DAY,
    )[0]
    late = incident_clocks(
        serious=True,
        death=True,
        widespread=False,
        deployer=False,
        aware_at=AWARE,
        authority_reported_at=AWARE + 11 * DAY,
    )[0]
    assert (on_time.status(AWARE + 30 * DAY), on_time.overdue(AWARE + 30 * DAY)) == ("done", False)
    assert late.status(AWARE + 30 * DAY) == "done late"


def test_a_deployer_informs_the_provider_at_once():
    # Art. 26(5): "immediately inform first the provider": due at the moment of awareness.
    inform, report = incident_clocks(
        serious=True, death=False, widespread=False, deployer=True, aware_at=AWARE
    )
    assert (inform.article, inform.due_at) == ("Art. 26(5)", AWARE)
    assert inform.status(AWARE - DAY) == "due"
    assert inform.status(AWARE + DAY) == "overdue"
    assert report.article == "Art. 73(2)"


def test_an_incident_that_is_not_serious_starts_no_clock():
    assert (
        incident_clocks(serious=False, death=True, widespread=True, deployer=True, aware_at=AWARE)
        == []
    )
