"""Board packs: a PDF per review and a monthly portfolio pack, from the numbers the pages show.

The review pack is built from the same selectors and the same scorecard rows as the review
page; the portfolio pack from the dashboard's figures, which the console registers here
(``portfolio_figures_source``) because the dashboard sits above this layer. This month's pack
reads them live; a past month's reads the figures the snapshot job kept at its last run in
that month (under ``month_key``), and a month it never ran in has no pack.
"""

import datetime as dt
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from components.selectors import incidents_of_month, incidents_of_use_case
from core.errors import NotFoundError
from governance.selectors import review_scorecard
from portfolio.models import FigureSnapshot
from reports import charts

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MONTH_KEY = "pack:"

_figures_source: list[Callable[[str | None], dict | None]] = []


def portfolio_figures_source(
    source: Callable[[str | None], dict | None],
) -> Callable[[str | None], dict | None]:
    """Register the function that returns the pack's figures (the console does): live for
    ``None``, else the figures kept for that month ("YYYY-MM"), or None if none were."""
    _figures_source[:] = [source]
    return source


def portfolio_figures(month: str | None = None) -> dict | None:
    if not _figures_source:
        raise LookupError("No portfolio figures source is registered.")
    return _figures_source[0](month)


def month_key(month: str) -> str:
    """The FigureSnapshot key a month's pack figures are kept under ("pack:2026-10")."""
    return f"{MONTH_KEY}{month}"


def months_kept() -> list[str]:
    """The months whose figures were kept, newest first (1 query)."""
    keys = FigureSnapshot.objects.filter(key__startswith=MONTH_KEY).values_list("key", flat=True)
    return sorted((key.removeprefix(MONTH_KEY) for key in keys), reverse=True)


def month_checked(month: str | None, *, today=None) -> str:
    """The month asked for, this month when none; 400 for a malformed or future month."""
    this_month = (today or timezone.localdate()).strftime("%Y-%m")
    month = month or this_month
    if not MONTH.match(month):
        raise ValidationError({"month": [_("A month is written YYYY-MM, e.g. 2026-03.")]})
    if month > this_month:
        raise ValidationError(
            {
                "month": [
                    _(
                        "%(month)s has not begun: a pack shows this month (%(this_month)s, "
                        "live) or a past month."
                    )
                    % {"month": month, "this_month": this_month}
                ]
            }
        )
    return month


def review_context(review) -> dict:
    """Everything the review page and its pack show: the scorecard (the API's too), and the
    use case's incidents."""
    card = review_scorecard(review=review)
    return {**card, "incidents": incidents_of_use_case(use_case_id=card["use_case"].pk)}


def pdf_render(template: str, context: dict) -> bytes:
    """HTML from a template, printed to PDF by WeasyPrint (A4; fonts from the system)."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "printed_at": timezone.now()})
    return HTML(string=html).write_pdf()


def review_pack(review) -> bytes:
    return pdf_render("reports/review_pack.html", review_context(review))


def portfolio_context(month: str | None, *, today=None) -> dict:
    """The pack of ``month`` (this month when None): live this month, kept for a past month;
    400 for a malformed or future month, 404 for a past month with no figures kept."""
    this_month = (today or timezone.localdate()).strftime("%Y-%m")
    month = month_checked(month, today=today)
    figures = portfolio_figures(None if month == this_month else month)
    if figures is None:
        kept = months_kept()
        listed = ", ".join(kept[:12]) if kept else f"none yet, only this month ({this_month})"
        raise NotFoundError(
            _(
                "No portfolio figures were kept for %(month)s: the snapshot job keeps "
                "a month's figures from its last run in that month, and it did not run "
                "then. Months with a pack: %(listed)s."
            )
            % {"month": month, "listed": listed},
            code="pack_not_kept",
        )
    return {
        **figures,
        "month": month,
        "live": month == this_month,
        "svg": charts.portfolio_charts(figures),
        "incidents": incidents_of_month(month=month, at=_month_end_or_now(month, this_month)),
    }


def _month_end_or_now(month: str, this_month: str):
    """The moment a month's incidents are read at: now for this month, else its last moment."""
    if month == this_month:
        return timezone.now()
    year, number = (int(part) for part in month.split("-"))
    first_of_next = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=dt.UTC)
    return first_of_next - dt.timedelta(microseconds=1)


def portfolio_pack(month: str | None, *, today=None) -> bytes:
    return pdf_render("reports/portfolio_pack.html", portfolio_context(month, today=today))
