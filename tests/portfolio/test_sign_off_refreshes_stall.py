"""A sign-off (or its withdrawal) moves the sponsor-operator alignment line of the stall
diagnostic, a final scale memo the pilot-to-scale line, and the stall flag follows as soon as
the change commits: the flag and the diagnostic beside it never disagree. On a fixed clock,
so the lines are worked out by hand.

The pilot below has three red lines: alignment (neither signed), feedback latency (40 days
between the two readings, more than 30) and the scale plan (no memo); metric integrity is
yellow (read every 40 days, less often than monthly). One sign-off makes alignment yellow:
two red lines, no stall. A new definition of success withdraws the sign-offs: three again.
"""

import datetime as dt

import pytest
from django.utils import timezone

from portfolio import services
from portfolio.models import Flag, FlagKind
from portfolio.selectors_diagnostic import use_case_diagnostic
from portfolio.services.flags import flags_sweep
from tests import factories
from tests.support.velocity import walk

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def stalled_pilot(fixed_clock, department, head):
    use_case = factories.UseCaseFactory(department=department)
    use_case = walk(use_case, head, [("submit", NOW - 60 * DAY), ("advance", NOW - 50 * DAY)])
    business = use_case.metrics.get(kind="business")
    for days_ago in (45, 5):
        factories.ReadingFactory(metric=business, measured_at=NOW - days_ago * DAY)
    flags_sweep(at=NOW)
    return use_case


def stall_flag_open(use_case) -> bool:
    return Flag.objects.filter(
        use_case=use_case, kind=FlagKind.STALL_IN_PROGRESS, cleared_at=None
    ).exists()


def colours(use_case) -> dict:
    diagnostic = use_case_diagnostic(use_case_id=use_case.pk, at=NOW)
    return {line.key: line.colour for line in diagnostic.lines}, diagnostic.stalled


def test_the_pilot_starts_stalled_with_three_red_lines(stalled_pilot):
    lines, stalled = colours(stalled_pilot)

    assert stalled_pilot.state == "pilot"
    assert [key for key, colour in lines.items() if colour == "red"] == [
        "alignment",
        "scale_plan",
        "feedback_latency",
    ]
    assert lines["metric_integrity"] == "yellow"
    assert stalled and stall_flag_open(stalled_pilot)


def test_a_sign_off_clears_the_stall_flag_when_it_commits(
    stalled_pilot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.use_case_sign_off(
            actor=stalled_pilot.sponsor, use_case=stalled_pilot, party="sponsor"
        )

    lines, stalled = colours(stalled_pilot)
    assert lines["alignment"] == "yellow"
    assert not stalled
    assert not stall_flag_open(stalled_pilot)
    flag = Flag.objects.get(use_case=stalled_pilot, kind=FlagKind.STALL_IN_PROGRESS)
    assert (flag.cleared_at, flag.clear_reason) == (NOW, "The cause is gone.")


def test_withdrawn_sign_offs_raise_the_stall_flag_again_when_the_change_commits(
    stalled_pilot, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.use_case_sign_off(
            actor=stalled_pilot.sponsor, use_case=stalled_pilot, party="sponsor"
        )
    assert not stall_flag_open(stalled_pilot)

    with django_capture_on_commit_callbacks(execute=True):
        services.use_case_update(
            actor=head,
            use_case=stalled_pilot,
            success_definition="Settlement time down by a third, complaints flat.",
        )

    lines, stalled = colours(stalled_pilot)
    assert lines["alignment"] == "red"
    assert stalled
    assert stall_flag_open(stalled_pilot)


def test_a_final_scale_memo_clears_the_stall_flag_when_it_commits(
    stalled_pilot, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.artifact_save(
            actor=head,
            use_case=stalled_pilot,
            kind="scale_memo",
            content="What made the pilot work, what changes at scale.",
            status="final",
        )

    lines, stalled = colours(stalled_pilot)
    assert lines["scale_plan"] == "green"
    assert not stalled
    assert not stall_flag_open(stalled_pilot)
