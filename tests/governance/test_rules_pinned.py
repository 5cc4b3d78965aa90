"""Governance rules pinned one unit either side, each found unpinned by mutation testing
(`make mutation`): a condition due today is not overdue, due yesterday it is; a pilot past its
time box is flagged at once by the refresh (not only cleared at once), and only its own."""

import datetime as dt

import pytest

from core.errors import ConflictError
from governance import services
from governance.choices import ConditionStatus
from governance.watch import watch_refresh
from portfolio.models import Flag, FlagKind
from tests import factories

REQUESTED = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
DUE = dt.date(2025, 4, 1)
DAY = dt.timedelta(days=1)


def decide(use_case, head, board, choice, at, **kwargs):
    _, seats = board
    review = services.review_request(use_case=use_case, actor=head, at=at)
    for seat in seats:
        services.vote_cast(review=review, actor=seat.user, choice=choice, comment="ok", at=at)
    return services.review_close(review=review, actor=seats[0].user, at=at + DAY, **kwargs)


@pytest.fixture
def condition(department, head, board):
    use_case = factories.submitted(department, head, at=REQUESTED - 10 * DAY)
    decision = decide(
        use_case,
        head,
        board,
        "conditional_go",
        REQUESTED,
        rationale="Go, once an operator is hired.",
        conditions=[{"text": "Hire an operator.", "due_date": DUE}],
    )
    return decision.conditions.get()


def test_a_condition_due_today_is_not_overdue_even_at_the_days_last_minute(condition):
    last_minute = dt.datetime(2025, 4, 1, 23, 59, tzinfo=dt.UTC)
    assert services.condition_overdue_review(condition=condition, at=last_minute) is None
    condition.refresh_from_db()
    assert condition.re_review is None


def test_a_condition_due_yesterday_opens_its_re_review(condition):
    next_day = dt.datetime(2025, 4, 2, 0, 0, tzinfo=dt.UTC)
    review = services.condition_overdue_review(condition=condition, at=next_day)
    assert review is not None
    assert (review.purpose, review.requested_by) == ("re_review", None)
    assert review.reason == "Condition overdue since 2025-04-01: Hire an operator."
    condition.refresh_from_db()
    assert condition.re_review == review


def test_a_resolved_condition_opens_nothing_and_cannot_be_resolved_twice(condition, chair):
    met = services.condition_resolve(
        condition=condition, actor=chair, met=True, note="Hired.", at=REQUESTED + 5 * DAY
    )
    assert (met.status, met.resolved_by, met.note) == (ConditionStatus.MET, chair, "Hired.")
    assert met.resolved_at == REQUESTED + 5 * DAY
    later = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
    assert services.condition_overdue_review(condition=condition, at=later) is None
    with pytest.raises(ConflictError):
        services.condition_resolve(condition=condition, actor=chair, met=False)


def test_a_condition_not_met_is_recorded_unmet(condition, chair):
    unmet = services.condition_resolve(condition=condition, actor=chair, met=False)
    assert unmet.status == ConditionStatus.UNMET


def open_kinds(use_case) -> set:
    return set(
        Flag.objects.filter(use_case=use_case, cleared_at=None).values_list("kind", flat=True)
    )


def test_pilot_purgatory_is_raised_at_once_and_only_for_the_use_case_refreshed(
    department, head, board
):
    started = REQUESTED + DAY  # the go decision
    pilots = []
    for _ in range(2):
        use_case = factories.submitted(department, head, at=REQUESTED - 10 * DAY)
        decide(use_case, head, board, "go", REQUESTED, rationale="Go.")
        pilots.append(use_case)
    first, second = pilots
    # The default time box is 90 days; 91.5 days in pilot are written rounded (to even): 92.
    past_box = started + dt.timedelta(days=91, hours=12)

    results = watch_refresh(use_case_id=first.pk, at=past_box)

    assert results[FlagKind.PILOT_PURGATORY].raised == 1
    assert FlagKind.PILOT_PURGATORY in open_kinds(first)
    assert FlagKind.PILOT_PURGATORY not in open_kinds(second)
    flag = Flag.objects.get(use_case=first, kind=FlagKind.PILOT_PURGATORY)
    assert flag.raised_at == past_box
    # The second pilot's own refresh raises its flag; refreshing the first leaves it alone.
    watch_refresh(use_case_id=second.pk, at=past_box)
    watch_refresh(use_case_id=first.pk, at=past_box + DAY)
    assert FlagKind.PILOT_PURGATORY in open_kinds(second)
    assert flag.reason == (
        "In pilot for 92 days, past its 90-day time box, with no review requested."
    )


def test_a_pilot_within_its_time_box_is_not_raised(department, head, board):
    use_case = factories.submitted(department, head, at=REQUESTED - 10 * DAY)
    decide(use_case, head, board, "go", REQUESTED, rationale="Go.")

    watch_refresh(use_case_id=use_case.pk, at=REQUESTED + DAY + 89 * DAY)

    assert FlagKind.PILOT_PURGATORY not in open_kinds(use_case)


def test_decision_overdue_is_raised_at_once_past_the_target_at_the_moment_given(
    department, head, board
):
    use_case = factories.submitted(department, head, at=REQUESTED - 10 * DAY)
    services.review_request(use_case=use_case, actor=head, at=REQUESTED)
    hour = dt.timedelta(hours=1)

    watch_refresh(use_case_id=use_case.pk, at=REQUESTED + 47 * hour)  # target: 48 hours
    assert FlagKind.DECISION_OVERDUE not in open_kinds(use_case)

    watch_refresh(use_case_id=use_case.pk, at=REQUESTED + 49 * hour)
    assert FlagKind.DECISION_OVERDUE in open_kinds(use_case)
