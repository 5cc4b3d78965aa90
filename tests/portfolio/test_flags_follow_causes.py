"""Flags follow their causes at once: the change that removes (or creates) a cause refreshes
the use case's flags after it commits, without waiting for the next sweep; and a stall is
flagged only for work in flight, never at submission."""

import datetime as dt

import pytest
from django.utils import timezone

from governance import services
from governance.watch import watch_sweep
from portfolio import services as portfolio_services
from portfolio.models import Flag, FlagKind, UseCase
from portfolio.services.flags import flags_sweep
from tests import factories
from tests.support.velocity import walk

DAY = dt.timedelta(days=1)


@pytest.fixture
def t0():
    return timezone.now() - 120 * DAY


def open_kinds(use_case) -> set:
    return set(
        Flag.objects.filter(use_case=use_case, cleared_at=None).values_list("kind", flat=True)
    )


def decide(review, board, at):
    _, seats = board
    for seat in seats:
        services.vote_cast(review=review, actor=seat.user, choice="go", comment="ok", at=at)
    return services.review_close(review=review, actor=seats[0].user, at=at, rationale="ok")


@pytest.fixture
def in_pilot(use_case, head, default_criteria, t0, django_capture_on_commit_callbacks):
    board = factories.board_with(3, name="Portfolio board")
    walk(use_case, head, [("submit", t0 - 10 * DAY)])
    with django_capture_on_commit_callbacks(execute=True):
        review = services.review_request(use_case=use_case, actor=head, at=t0)
        decide(review, board, at=t0 + DAY)
    return use_case, board


def test_requesting_a_review_clears_pilot_purgatory_at_once(
    in_pilot, head, django_capture_on_commit_callbacks
):
    use_case, _ = in_pilot
    watch_sweep()  # 119 days in pilot, past the 90-day time box
    assert FlagKind.PILOT_PURGATORY in open_kinds(use_case)

    with django_capture_on_commit_callbacks(execute=True):
        services.review_request(use_case=use_case, actor=head)

    assert FlagKind.PILOT_PURGATORY not in open_kinds(use_case)
    assert Flag.objects.get(kind=FlagKind.PILOT_PURGATORY).clear_reason == "The cause is gone."


def test_without_the_after_commit_refresh_the_flag_would_stand(in_pilot, head):
    use_case, _ = in_pilot
    watch_sweep()

    services.review_request(use_case=use_case, actor=head)  # callbacks never run here

    assert FlagKind.PILOT_PURGATORY in open_kinds(use_case)


def test_a_decision_clears_decision_overdue_at_once(
    use_case, head, default_criteria, django_capture_on_commit_callbacks
):
    board = factories.board_with(3, name="Portfolio board")
    walk(use_case, head, [("submit", timezone.now() - 10 * DAY)])
    review = services.review_request(
        use_case=use_case, actor=head, at=timezone.now() - 49 * dt.timedelta(hours=1)
    )
    watch_sweep()
    assert FlagKind.DECISION_OVERDUE in open_kinds(use_case)

    with django_capture_on_commit_callbacks(execute=True):
        decide(review, board, at=timezone.now())

    assert FlagKind.DECISION_OVERDUE not in open_kinds(use_case)


def test_a_submission_never_raises_stall_in_progress(
    use_case, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portfolio_services.use_case_submit(use_case=use_case, actor=head)
    # Everything a stall looks at turns red, and a full sweep runs too.
    UseCase.objects.filter(pk=use_case.pk).update(outcome_owner=None, data_existing="")
    flags_sweep()

    assert FlagKind.STALL_IN_PROGRESS not in open_kinds(use_case)


def test_a_reading_refreshes_stale_metrics_at_once(
    in_pilot, head, django_capture_on_commit_callbacks
):
    use_case, _ = in_pilot
    flags_sweep()  # no reading since submission, 130 days ago
    assert FlagKind.STALE_METRICS in open_kinds(use_case)

    with django_capture_on_commit_callbacks(execute=True):
        for metric in use_case.metrics.all():
            portfolio_services.reading_add(actor=head, metric=metric, value=3)

    assert FlagKind.STALE_METRICS not in open_kinds(use_case)
