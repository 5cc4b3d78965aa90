"""Filters the pages and the board packs share: money with its currency, scorecards read
in words and units."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from portfolio import display
from reports import scorecard as scorecard_view

register = template.Library()


@register.filter
def money(value, places: int = 0) -> str:
    """150000 -> "EUR 150,000" (portfolio.display.money, which the admin lists use too)."""
    return display.money(value, places)


@register.filter
def scorecard(snapshot) -> dict | None:
    """A frozen snapshot as rows in words and units, with the reason for its recommendation."""
    return scorecard_view.scorecard_view(snapshot)


@register.filter
def words(value) -> str:
    """A choice key as words: "not_applicable" -> "not applicable"."""
    return str(value).replace("_", " ")


def _shown(value) -> Decimal:
    # As floatformat:0 shows it (half up), so a difference agrees with the figures beside it.
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


@register.filter
def shown_difference(value, previous) -> str:
    """The difference of two durations as they are shown (110 → 95 is "-15"), signed."""
    if value is None or previous is None:
        return ""
    difference = _shown(value) - _shown(previous)
    return f"{difference:+}" if difference else "0"
