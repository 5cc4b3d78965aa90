"""Re-baselining on the use case page. From G0 on, a business metric's goalposts move, a
business metric is added or one is retired only by a request the board approves: the
department head asks here, the board's chair approves (which applies it) or rejects here,
through the same governance services as the API."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.web import forms as web_forms
from console.web.common import managed_use_case
from core.web.actions import CONTENT_REFUSALS, page_action
from governance import services as governance_services
from governance.choices import RebaselineKind
from governance.models import RebaselineRequest
from portfolio.choices import TERMINAL_STATES, MetricKind
from portfolio.models import Metric
from portfolio.selectors import use_case_visible_to


def _active_business(use_case) -> list[Metric]:
    return list(Metric.objects.active().filter(use_case=use_case, kind=MetricKind.BUSINESS))


def rebaselining_context(user, use_case) -> dict:
    """What the use case page shows of re-baselining: the requests with their decisions, the
    form to ask (the department head, once G0 locked the goalposts) and to decide (the
    board's chair, on each pending request)."""
    may_ask = (
        use_case.metrics_locked_at is not None
        and use_case.state not in TERMINAL_STATES
        and user.has_perm("portfolio.manage_use_case", use_case)
    )
    requests = list(
        RebaselineRequest.objects.filter(use_case=use_case)
        .select_related("metric", "requested_by", "decision__decided_by", "pending")
        .order_by("-requested_at", "-id")
    )
    for request in requests:
        request.is_pending = hasattr(request, "pending")
    return {
        "requests": requests,
        "request_form": (
            web_forms.RebaselineRequestForm(metrics=_active_business(use_case)) if may_ask else None
        ),
        "decide_form": (
            web_forms.RebaselineDecideForm()
            if any(r.is_pending for r in requests)
            and user.has_perm("governance.decide_rebaseline", use_case)
            else None
        ),
    }


def _back(use_case) -> str:
    return reverse("use-case-detail", args=[use_case.pk]) + "#rebaselining"


@login_required
@require_POST
def rebaseline_request(request, pk):
    """The department head asks the board (governance.services.rebaseline_request)."""
    use_case = managed_use_case(request, pk)
    metrics = {metric.pk: metric for metric in _active_business(use_case)}

    def ask(data):
        data = dict(data)
        chosen, kind = metrics.get(data.pop("metric")), data.pop("kind")
        if kind == RebaselineKind.ADD:
            chosen = None
        elif chosen is None:
            raise ValidationError({"metric": [_("Choose the metric the request is about.")]})
        return governance_services.rebaseline_request(
            actor=request.user, kind=kind, use_case=use_case, metric=chosen, **data
        )

    return page_action(
        request,
        form=web_forms.RebaselineRequestForm(request.POST, metrics=list(metrics.values())),
        call=ask,
        done=_("Request sent to the board; nothing changes until it approves."),
        to=_back(use_case),
        refusals=CONTENT_REFUSALS,
    )


@login_required
@require_POST
def rebaseline_decide(request, pk, request_pk):
    """The board's chair approves (and applies) or rejects (governance.services)."""
    use_case = get_object_or_404(use_case_visible_to(user=request.user), pk=pk)
    rebaseline = get_object_or_404(RebaselineRequest, pk=request_pk, use_case=use_case)
    form = web_forms.RebaselineDecideForm(request.POST)
    return page_action(
        request,
        form=form,
        call=lambda data: governance_services.rebaseline_decide(
            request=rebaseline,
            actor=request.user,
            approve=data["approve"],
            comment=data["comment"],
        ),
        done=lambda _result: (
            _("Approved and applied.") if form.cleaned_data["approve"] else _("Rejected.")
        ),
        to=_back(use_case),
        # Only the board's chair is offered the decision: anyone else gets the 403 page.
        refusals=CONTENT_REFUSALS,
    )
