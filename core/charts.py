"""One chart renderer for the pages and the packs: SVG drawn on the server, no JavaScript.

A chart is a title, a description and series of points; each point may carry the URL of the
list behind it, and its mark (bar, point, slice) is then a link there, as is its cell in the
data table. Every chart is a ``<figure>`` holding the SVG (with a ``<title>`` and a ``<desc>``
it is labelled by) and, in a ``<details>``, the same figures as a table, so a screen reader,
a keyboard and a PDF all get them. Colours go in presentation attributes (no inline style, so
the content security policy needs nothing).

Three shapes: ``horizontal`` bars (one series, a label per row), ``columns`` (categories along
the x axis, each series drawn as bars, a line or markers, with horizontal rules such as a
target), and a ``donut`` (one series, its shares).
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BLUE, RED, GREEN, AMBER, GREY = "#2658a6", "#b03030", "#2b7a2f", "#8a5a00", "#6b7683"
INK, GRID = "#1f2933", "#d5dbe1"
WIDTH = 640
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Point:
    """One mark: its category (``x``), its value (None: no mark), the value as written, the
    list behind it, and its own colour when it differs from its series'."""

    x: str
    y: float | None
    shown: str = ""
    url: str = ""
    colour: str = ""

    @property
    def text(self) -> str:
        return self.shown or ("—" if self.y is None else _number(self.y))


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    colour: str = BLUE
    kind: Literal["bar", "line", "markers"] = "bar"


@dataclass(frozen=True)
class Rule:
    """A horizontal line across a columns chart (a target, a baseline, zero)."""

    y: float
    text: str
    colour: str = RED
    dash: str = "6 4"


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    series: Sequence[Series]
    shape: Literal["horizontal", "columns", "donut"] = "columns"
    rules: Sequence[Rule] = ()
    x_title: str = ""
    y_title: str = ""
    height: int = 320
    empty: str = gettext_lazy("No data yet.")
    chart_id: str = field(default="")

    @property
    def categories(self) -> list[str]:
        """Every series' categories, in the order they first appear."""
        seen: dict[str, None] = {}
        for series in self.series:
            for point in series.points:
                seen.setdefault(point.x, None)
        return list(seen)

    @property
    def ident(self) -> str:
        if self.chart_id:
            return self.chart_id
        digest = hashlib.sha1(repr((self.title, self.series)).encode()).hexdigest()
        return f"chart-{digest[:10]}"


def render(chart: Chart) -> SafeString:
    """The chart as a ``<figure>``: SVG with its title and description, then its data table."""
    ident = chart.ident
    has_data = any(p.y is not None for s in chart.series for p in s.points)
    if not has_data:
        body, height = _text(WIDTH / 2, 60, chart.empty, anchor="middle"), 90
    elif chart.shape == "horizontal":
        body, height = _horizontal(chart)
    elif chart.shape == "donut":
        body, height = _donut(chart)
    else:
        body, height = _columns(chart)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fw-chart-svg" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" {FONT}>'
        f'<title id="{ident}-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>'
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{INK}" aria-hidden="true">'
        f"{escape(chart.title)}</text>{body}</svg>"
    )
    html = f'<figure class="fw-chart" id="{ident}" data-chart="{ident}">{svg}{_table(chart)}'
    return mark_safe(html + "</figure>")  # every text above is escaped


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _text(x, y, text, *, anchor="start", size=11, colour=INK, halo=False) -> str:
    # A halo (a white outline under the letters) keeps a label readable over a bar.
    outline = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}"{outline}>{escape(text)}</text>'
    )


def _linked(mark: str, point: Point, series: Series) -> str:
    """A mark with its name (for hover and assistive technology), a link when it has a list."""
    name = f"{series.name}: {point.x}: {point.text}" if series.name else f"{point.x}: {point.text}"
    titled = mark.replace("/>", f"><title>{escape(name)}</title></{mark[1:].split()[0]}>", 1)
    if not point.url:
        return titled
    return f'<a href="{escape(point.url)}" aria-label="{escape(name)}">{titled}</a>'


def _legend(series: Sequence[Series], top: float) -> tuple[str, float]:
    """Swatch and name per series, wrapped to the width; returns the markup and its bottom."""
    if len(series) < 2:
        return "", top
    parts, x, y = [], 0.0, top + 12
    for s in series:
        width = 22 + 6.2 * len(s.name)
        if x and x + width > WIDTH:
            x, y = 0.0, y + 16
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="10" fill="{s.colour}"/>'
            + _text(x + 16, y, s.name)
        )
        x += width + 12
    return f'<g aria-hidden="true">{"".join(parts)}</g>', y + 8


def _horizontal(chart: Chart) -> tuple[str, int]:
    label, row = 190, 22
    series = chart.series[0]
    points = list(series.points)
    top = max((p.y or 0 for p in points), default=0) or 1
    span = WIDTH - label - 90
    parts = []
    for index, point in enumerate(points):
        y = 28 + index * row
        length = max(float(point.y or 0), 0) / float(top) * span
        parts.append(_text(label - 6, y + 14, point.x, anchor="end"))
        rect = (
            f'<rect x="{label}" y="{y + 3}" width="{length:.1f}" height="{row - 7}" '
            f'fill="{point.colour or series.colour}"/>'
        )
        parts.append(_linked(rect, point, series))
        parts.append(_text(label + length + 4, y + 14, point.text))
    return "".join(parts), 36 + row * len(points)


def _ticks(low: float, high: float) -> list[float]:
    """Four or five round steps (1, 2 or 5 times a power of ten) covering low to high."""
    span = (high - low) or abs(high) or 1
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _columns(chart: Chart) -> tuple[str, int]:
    height = chart.height
    legend, legend_bottom = _legend(chart.series, 22)
    top, bottom, left, right = max(legend_bottom + 10, 34), 44, 64, 16
    values = [p.y for s in chart.series for p in s.points if p.y is not None]
    values += [r.y for r in chart.rules]
    ticks = _ticks(min(0, *values), max(0, *values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - left - right, height - top - bottom

    def y_of(value: float) -> float:
        return top + plot_h - (value - low) / ((high - low) or 1) * plot_h

    categories = chart.categories
    band = plot_w / max(len(categories), 1)
    centre = {c: left + band * (i + 0.5) for i, c in enumerate(categories)}
    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 4, _number(tick), anchor="end", size=10))
    step = max(1, math.ceil(len(categories) / (plot_w / 64)))
    for index, category in enumerate(categories):
        if index % step == 0:
            parts.append(_text(centre[category], top + plot_h + 16, category, anchor="middle"))
    if chart.x_title:
        parts.append(_text(left + plot_w / 2, height - 6, chart.x_title, anchor="middle"))
    if chart.y_title:
        parts.append(
            f'<text transform="translate(12 {top + plot_h / 2:.1f}) rotate(-90)" '
            f'font-size="11" text-anchor="middle" fill="{INK}">{escape(chart.y_title)}</text>'
        )
    bars = [s for s in chart.series if s.kind == "bar"]
    width = band * 0.8 / max(len(bars), 1)
    zero = y_of(max(low, 0))
    for series in chart.series:
        if series.kind == "bar":
            offset = -band * 0.4 + width * bars.index(series)
            for point in series.points:
                if point.y is None:
                    continue
                y = y_of(point.y)
                rect = (
                    f'<rect x="{centre[point.x] + offset:.1f}" y="{min(y, zero):.1f}" '
                    f'width="{max(width - 1, 1):.1f}" height="{abs(zero - y):.1f}" '
                    f'fill="{point.colour or series.colour}"/>'
                )
                parts.append(_linked(rect, point, series))
            continue
        drawn = [p for p in series.points if p.y is not None]
        if series.kind == "line" and len(drawn) > 1:
            path = " ".join(f"{centre[p.x]:.1f},{y_of(p.y):.1f}" for p in drawn)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{series.colour}" '
                f'stroke-width="2" aria-hidden="true"/>'
            )
        for point in drawn:
            dot = (
                f'<circle cx="{centre[point.x]:.1f}" cy="{y_of(point.y):.1f}" r="5" '
                f'fill="{point.colour or series.colour}" stroke="#fff"/>'
            )
            parts.append(_linked(dot, point, series))
    for rule in chart.rules:
        y = y_of(rule.y)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{rule.colour}" stroke-dasharray="{rule.dash}" stroke-width="1.5"/>'
            + _text(
                WIDTH - right,
                y - 4,
                rule.text,
                anchor="end",
                size=10,
                colour=rule.colour,
                halo=True,
            )
        )
    return legend + "".join(parts), height


def _donut(chart: Chart) -> tuple[str, int]:
    """Each share as an arc of one ring (a dashed circle per slice), with a legend beside."""
    series = chart.series[0]
    points = [p for p in series.points if p.y]
    total = sum(float(p.y) for p in points) or 1
    radius, ring, cx, cy = 70.0, 36, 130, 130
    circumference = 2 * math.pi * radius
    parts, start = [], 0.0
    for index, point in enumerate(points):
        share = float(point.y) / total
        colour = point.colour or (series.colour if index == 0 else (BLUE, GREEN, AMBER)[index % 3])
        arc = (
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="{colour}" '
            f'stroke-width="{ring}" stroke-dasharray="{share * circumference:.2f} '
            f'{circumference:.2f}" stroke-dashoffset="{-start * circumference:.2f}" '
            f'transform="rotate(-90 {cx} {cy})"/>'
        )
        parts.append(_linked(arc, point, series))
        y = 80 + 22 * index
        parts.append(f'<rect x="260" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(278, y, f"{point.x}: {point.text} ({share:.0%})"))
        start += share
    return "".join(parts), 260


def _table(chart: Chart) -> str:
    """The figures as a table in a closed ``<details>``: a row per category, a column per
    series, each cell linked to the list behind it when the chart links it."""
    if not chart.categories:
        return ""
    value, item = _("Value"), _("Item")
    summary = _("%(title)s: the data") % {"title": chart.title}
    head = "".join(f'<th scope="col">{escape(s.name or value)}</th>' for s in chart.series)
    rows = []
    for category in chart.categories:
        cells = []
        for series in chart.series:
            point = next((p for p in series.points if p.x == category), None)
            if point is None:
                cells.append("<td>—</td>")
            elif point.url:
                cells.append(f'<td><a href="{escape(point.url)}">{escape(point.text)}</a></td>')
            else:
                cells.append(f"<td>{escape(point.text)}</td>")
        rows.append(f'<tr><th scope="row">{escape(category)}</th>{"".join(cells)}</tr>')
    return (
        f'<details class="fw-chart-data"><summary>{escape(summary)}</summary>'
        f'<table><thead><tr><th scope="col">{escape(chart.x_title or item)}</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table></details>"
    )
