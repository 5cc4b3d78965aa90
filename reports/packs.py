"""Board packs: a PDF per review and a monthly portfolio pack, from the numbers the pages show.

The review pack is built from the same selectors and the same scorecard rows as the review
page; the portfolio pack from the dashboard's figures, which the console registers here
(``portfolio_figures_source``) because the dashboard sits above this layer.
"""

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import timezone

from gates.selectors import snapshot_latest
from governance.models import Condition, Decision
from governance.selectors import board_for_department, quorum_of, votes_of
from reports import charts

_figures_source: list[Callable[[], dict]] = []


def portfolio_figures_source(source: Callable[[], dict]) -> Callable[[], dict]:
    """Register the function that returns the dashboard's figures (the console does)."""
    _figures_source[:] = [source]
    return source


def portfolio_figures() -> dict:
    if not _figures_source:
        raise LookupError("No portfolio figures source is registered.")
    return _figures_source[0]()


def review_context(review) -> dict:
    """Everything the review page and its pack show: scorecard, evidence, votes, decision."""
    use_case = review.use_case
    board = board_for_department(department_id=use_case.department_id)
    votes = list(votes_of(review=review))
    decision = Decision.objects.filter(review=review).select_related("decided_by").first()
    for vote in votes:
        vote.dissents = decision is not None and vote.choice != decision.verdict
    return {
        "review": review,
        "use_case": use_case,
        "board": board,
        "snapshot": snapshot_latest(review=review),
        "votes": votes,
        "recusals": list(review.recusals.select_related("member__user")),
        "quorum": quorum_of(review=review, board=board) if board else None,
        "decision": decision,
        "conditions": (
            list(Condition.objects.filter(decision=decision).order_by("due_date", "id"))
            if decision
            else []
        ),
    }


def pdf_render(template: str, context: dict) -> bytes:
    """HTML from a template, printed to PDF by WeasyPrint (A4; fonts from the system)."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "printed_at": timezone.now()})
    return HTML(string=html).write_pdf()


def review_pack(review) -> bytes:
    return pdf_render("reports/review_pack.html", review_context(review))


def portfolio_context(month: str) -> dict:
    figures = portfolio_figures()
    return {**figures, "month": month, "svg": charts.portfolio_charts(figures)}


def portfolio_pack(month: str) -> bytes:
    return pdf_render("reports/portfolio_pack.html", portfolio_context(month))
