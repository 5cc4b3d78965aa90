"""Board members' pages: the review queue, a review with its scorecard, vote, recuse, close."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.web import forms as web_forms
from core.roles import roles_of
from core.web.actions import page_action
from gates.models import GateReview
from governance import services as governance_services
from governance.models import BoardMember, Delegation
from governance.selectors import (
    open_reviews_decided_by,
)
from governance.selectors_looks_ahead import board_objectives, review_queue_costs
from portfolio.models import UseCase
from portfolio.selectors import metrics_with_readings
from reports import charts
from reports.packs import review_context
from reports.rules import may_read_review


@login_required
def review_queue(request):
    """Open reviews of my boards, oldest first, with the hours they have waited."""
    if not roles_of(request.user).is_board_member:
        raise PermissionDenied(_("The review queue is for board members."))
    now = timezone.now()
    reviews = list(
        open_reviews_decided_by(user=request.user)
        .select_related("use_case", "use_case__department", "requested_by")
        .annotate(
            vote_count=Count("votes", distinct=True),
            voted_by_me=Count("votes", filter=Q(votes__member__user=request.user), distinct=True),
        )
        .order_by("requested_at", "id")
    )
    # Sorted by value per day, then the longest waiting (PRODUCT.md, "Cost of delay").
    reviews = review_queue_costs(reviews, at=now)
    for review in reviews:
        review.hours_waiting = (now - review.requested_at).total_seconds() / 3600
        review.overdue = review.hours_waiting > review.target_hours
    return render(request, "flywheel/review_queue.html", {"reviews": reviews})


def _review_for(request, pk):
    review = get_object_or_404(
        GateReview.objects.select_related(
            "use_case", "use_case__department", "requested_by", "criteria_set"
        ),
        pk=pk,
    )
    if not may_read_review(request.user, review):
        raise PermissionDenied(
            _("Only the deciding board, the department's head and executives see this review.")
        )
    return review


@login_required
def review_page(request, pk):
    """A review: scorecard against thresholds, evidence, votes so far, and what I may do."""
    review = _review_for(request, pk)
    # The same figures the review's board pack prints.
    shared = review_context(review)
    use_case, board, votes = shared["use_case"], shared["board"], shared["votes"]
    recusals = shared["recusals"]
    my_seat = (
        BoardMember.objects.filter(board=board, user=request.user, active=True).first()
        if board
        else None
    )
    voted = my_seat is not None and any(v.member_id == my_seat.pk for v in votes)
    recused = my_seat is not None and any(r.member_id == my_seat.pk for r in recusals)
    metrics = metrics_with_readings(use_case_id=use_case.pk, recent=6)
    done = {v.member_id for v in votes} | {r.member_id for r in recusals}
    delegated = (
        [
            delegation.delegator
            for delegation in Delegation.objects.filter(
                delegate=my_seat, starts_at__lte=timezone.now(), ends_at__gt=timezone.now()
            ).select_related("delegator__user")
            if delegation.delegator_id not in done
        ]
        if my_seat is not None and review.is_open
        else []
    )
    return render(
        request,
        "flywheel/review_detail.html",
        {
            **shared,
            "metrics": metrics,
            "artifacts": list(use_case.artifacts.all()),
            "may_vote": review.is_open
            and my_seat is not None
            and my_seat.is_voting
            and not voted
            and not recused,
            "may_close": review.is_open
            and request.user.has_perm("governance.close_review", review),
            "vote_form": web_forms.VoteForm(),
            "delegated_seats": delegated,
            "recuse_form": web_forms.RecuseForm(),
            "close_form": web_forms.CloseForm(),
        },
    )


def _detail(review) -> str:
    return reverse("review-detail", args=[review.pk])


@login_required
@require_POST
def review_vote(request, pk):
    """Cast my vote (or a delegator's) with its comment."""
    review = _review_for(request, pk)

    def cast(data):
        seat_pk = data["on_behalf_of"]
        on_behalf_of = BoardMember.objects.filter(pk=seat_pk).first() if seat_pk else None
        return governance_services.vote_cast(
            review=review,
            actor=request.user,
            choice=data["choice"],
            comment=data["comment"],
            on_behalf_of=on_behalf_of,
        )

    return page_action(
        request,
        form=web_forms.VoteForm(request.POST),
        call=cast,
        done=lambda vote: (
            _("%(user)s's vote is recorded.") % {"user": vote.member.user}
            if vote.member.user_id != request.user.pk
            else _("Your vote is recorded.")
        ),
        to=_detail(review),
    )


@login_required
@require_POST
def review_recuse(request, pk):
    """Stand aside from a review for a conflict of interest."""
    review = _review_for(request, pk)
    return page_action(
        request,
        form=web_forms.RecuseForm(request.POST),
        call=lambda data: governance_services.vote_recuse(
            review=review, actor=request.user, reason=data["reason"]
        ),
        done=_("You are recused from this review."),
        to=_detail(review),
    )


def _decided(decision) -> str:
    use_case = UseCase.objects.get(pk=decision.review.use_case_id)
    return _("Decided: %(verdict)s. “%(title)s” is now %(state)s.") % {
        "verdict": decision.get_verdict_display(),
        "title": use_case.title,
        "state": use_case.get_state_display(),
    }


@login_required
@require_POST
def review_close(request, pk):
    """The chair closes the review once quorum is reached; the decision applies at once."""
    review = _review_for(request, pk)
    form = web_forms.CloseForm(request.POST)
    return page_action(
        request,
        form=form,
        call=lambda data: governance_services.review_close(
            review=review,
            actor=request.user,
            verdict=data["verdict"] or None,
            rationale=data["rationale"],
            conditions=form.conditions(),
            lesson=form.lesson_input(),
        ),
        done=_decided,
        to=_detail(review),
    )


@login_required
def board_objectives_page(request, pk=None):
    """Each board's decision objective: target, objective, the rolling figures, its two
    flags, and (one board) the error budget over the last window as a chart."""
    if not roles_of(request.user).reads_published:
        raise PermissionDenied(_("The boards' figures are for people with a role in Flywheel."))
    history_days = 28 if pk is not None else 0
    objectives = board_objectives(history_days=history_days, board_id=pk)
    if pk is not None and not objectives:
        raise Http404(_("No such active board."))
    chart = None
    if pk is not None:
        entry = objectives[0]
        chart = charts.budget_chart(
            [*entry.history, (timezone.now(), entry.figures)], board_name=entry.board.name
        )
    return render(
        request,
        "flywheel/board_objectives.html",
        {"objectives": objectives, "one": pk is not None, "chart": chart},
    )
