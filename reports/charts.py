"""Charts for print: small server-drawn SVG (no JavaScript in a PDF), from the figures' rows."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BLUE, RED, GREEN, AMBER = "#2658a6", "#b03030", "#2b7a2f", "#8a5a00"
WIDTH, LABEL, ROW = 640, 190, 22


def bars(rows: list[tuple[str, float, str]], *, colour: str = BLUE, title: str) -> SafeString:
    """Horizontal bars: (label, value, value as shown) per row, scaled to the largest."""
    top = max((value for _label, value, _shown in rows), default=0) or 1
    span = WIDTH - LABEL - 90
    height = 28 + ROW * max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value, shown) in enumerate(rows):
        y = 24 + index * ROW
        length = max(float(value), 0) / float(top) * span
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL}" y="{y + 3}" width="{length:.1f}" height="{ROW - 7}" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL + length + 4:.1f}" y="{y + 14}" font-size="11">{escape(shown)}</text>'
        )
    if not rows:
        parts.append(f'<text x="{LABEL}" y="40" font-size="11">{escape(_("no data yet"))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def portfolio_charts(figures: dict) -> dict:
    """The dashboard's charts for the monthly pack, from the same rows."""
    return {
        "funnel": bars(
            [(row["label"], row["reached"], str(row["reached"])) for row in figures["funnel"]],
            title=_("Use cases that reached each stage"),
        ),
        "flags": bars(
            [(row["label"], row["count"], str(row["count"])) for row in figures["flags"]],
            colour=AMBER,
            title=_("Open flags by kind"),
        ),
        "latency": bars(
            [
                (row["month"], row["median_hours"] or 0, f"{row['median_hours'] or 0:.0f} h")
                for row in figures["latency"][-12:]
            ],
            colour=GREEN,
            title=_("Median decision latency by month (hours)"),
        ),
        "origins": bars(
            [(row["label"], row["count"], str(row["count"])) for row in figures["origins"]],
            colour=GREEN,
            title=_("Origination mix"),
        ),
    }
