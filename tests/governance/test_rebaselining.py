"""Goalposts locked at G0, and re-baselining that the board approves, keeping both values."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ConflictError
from governance import services
from governance.models import RebaselineDecision, RebaselineRequest
from portfolio import services as portfolio_services
from portfolio.models import Metric
from tests.support.governance import T0
from tests.support.voting import vote_all


@pytest.fixture
def piloting(submitted_use_case, head, board, chair):
    review = services.review_request(use_case=submitted_use_case, actor=head, at=T0)
    vote_all(review, board[1])
    services.review_close(review=review, actor=chair, at=T0)
    return submitted_use_case


def business_metric(use_case):
    return (
        Metric.objects.filter(use_case=use_case, kind="business").select_related("use_case").get()
    )


def test_before_g0_the_goalposts_move_freely(submitted_use_case, head):
    metric = business_metric(submitted_use_case)

    portfolio_services.metric_update(actor=head, metric=metric, target=Decimal("3"))

    assert business_metric(submitted_use_case).target == Decimal("3")


def test_after_g0_an_edit_of_the_goalposts_is_refused(piloting, head):
    metric = business_metric(piloting)

    with pytest.raises(ConflictError) as excinfo:
        portfolio_services.metric_update(actor=head, metric=metric, target=Decimal("3"))

    assert excinfo.value.code == "metric_locked"


def test_an_approved_re_baselining_moves_the_goalposts_and_keeps_both(piloting, head, chair):
    metric = business_metric(piloting)
    request = services.rebaseline_request(
        metric=metric, actor=head, baseline=Decimal("10"), target=Decimal("5"), reason="New law."
    )

    decision = services.rebaseline_decide(request=request, actor=chair, approve=True)

    metric = business_metric(piloting)
    assert (metric.baseline, metric.target) == (Decimal("10"), Decimal("5"))
    request = RebaselineRequest.objects.get(pk=request.pk)
    assert (request.old_baseline, request.old_target) == (Decimal("9"), Decimal("4"))
    assert decision.outcome == "approved"


def test_a_rejected_re_baselining_changes_nothing(piloting, head, chair):
    metric = business_metric(piloting)
    request = services.rebaseline_request(
        metric=metric, actor=head, baseline=Decimal("10"), target=Decimal("8"), reason="Easier."
    )

    services.rebaseline_decide(request=request, actor=chair, approve=False, comment="No.")

    assert business_metric(piloting).target == Decimal("4")
    with pytest.raises(ConflictError):
        services.rebaseline_decide(request=request, actor=chair, approve=True)
    assert RebaselineDecision.objects.count() == 1


def test_only_the_chair_decides_a_re_baselining(piloting, head, board):
    request = services.rebaseline_request(
        metric=business_metric(piloting), actor=head, baseline=1, target=2, reason="x"
    )

    with pytest.raises(PermissionDenied):
        services.rebaseline_decide(request=request, actor=board[1][1].user, approve=True)


def test_re_baselining_is_only_for_locked_goalposts(submitted_use_case, head):
    with pytest.raises(ConflictError):
        services.rebaseline_request(
            metric=business_metric(submitted_use_case), actor=head, baseline=1, target=2, reason="x"
        )
