"""Rounding for display only: a figure shown near a threshold keeps the digits that show
which side of it the exact value lies (the comparison itself never rounds)."""

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

MAX_PLACES = 8


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError, TypeError):
        return None
    return None if number.is_nan() else number


def figure(value, threshold=None, *, places: int = 2) -> str:
    """``value`` rounded to ``places`` decimals, with more digits while the rounded figure
    would sit on ``threshold`` although the exact value does not (0.996 against 1 shows
    "0.996", 12.02 against 12 shows "12.02"). Empty for no value; infinity as "∞"."""
    number = _decimal(value)
    if number is None:
        return ""
    if number.is_infinite():
        return "∞" if number > 0 else "-∞"
    bound = _decimal(threshold)
    shown = places
    while True:
        rounded = number.quantize(Decimal(1).scaleb(-shown), rounding=ROUND_HALF_EVEN)
        if bound is None or bound.is_infinite() or shown >= MAX_PLACES:
            break
        if rounded != bound or number == bound:
            break
        shown += 1
    text = f"{rounded:f}"
    if "." in text and shown > places:
        # Extra digits are there to make a point; trailing zeros would not.
        text = text.rstrip("0").rstrip(".")
    if bound is not None and rounded == bound and number != bound:
        # Still on the threshold after every digit we show: say which side it is.
        text = ("<" if number < bound else ">") + text
    return text


def money(value, places: int = 0) -> str:
    """150000 -> "EUR 150,000": the deployment's currency (``FLYWHEEL_CURRENCY``) with the
    amount's separators and the currency's place as the active language writes them ("150.000
    EUR" in German, "150 000 EUR" in French), for every page, pack and admin list; "—" for
    no amount."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(value) if not isinstance(value, float) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    number = formats.number_format(
        round(amount, int(places)), decimal_pos=int(places), use_l10n=True, force_grouping=True
    )
    # Translators: where the currency goes beside an amount ("EUR 150,000", "150.000 EUR").
    return _("{currency} {amount}").format(currency=settings.FLYWHEEL_CURRENCY, amount=number)
