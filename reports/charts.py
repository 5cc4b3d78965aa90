"""The portfolio's charts, one builder per figure, for the pages and the packs alike.

Each builder takes the selectors' rows and returns the drawn chart (``core.charts``: SVG with
a title, a description and its data table). A row's ``url``, when the caller set one, is the
list behind it: its bar, point or slice then links there. The packs call the same builders
without URLs.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.charts import AMBER, BLUE, GREEN, GREY, RED, Chart, Point, Rule, Series, render


def flags_chart(rows: list[dict]) -> SafeString:
    """Open flags by kind."""
    points = [Point(x=row["label"], y=row["count"], url=row.get("url", "")) for row in rows]
    return render(
        Chart(
            title=_("Open flags by kind"),
            desc=_("One bar per kind of flag, its length the number of use cases flagged."),
            series=[Series(name=_("use cases"), points=points, colour=AMBER)],
            shape="horizontal",
            x_title=_("Flag"),
            chart_id="flags",
        )
    )


def funnel_chart(rows: list[dict]) -> SafeString:
    """Use cases that reached each stage, with the conversion from the stage before."""
    points = [
        Point(
            x=row["label"]
            + (f" ({row['conversion']:.0%})" if row["conversion"] is not None else ""),
            y=row["reached"],
            url=row.get("url", ""),
        )
        for row in rows
    ]
    return render(
        Chart(
            title=_("Funnel: use cases that reached each stage"),
            chart_id="funnel",
            desc=_(
                "One bar per stage, its length the number of use cases that reached it; the "
                "percentage beside a stage is the share of the stage before that reached it."
            ),
            series=[Series(name=_("use cases"), points=points)],
            shape="horizontal",
            x_title=_("Stage"),
        )
    )


def money_chart(rows: list[dict]) -> SafeString:
    """First-year cost against expected and realised yearly benefit, per department."""
    currency = settings.FLYWHEEL_CURRENCY
    series = [
        Series(
            name=label,
            colour=colour,
            points=[
                Point(
                    x=row["department__name"],
                    y=float(row[key]),
                    shown=f"{currency} {float(row[key]):,.0f}",
                    url=row.get("url", ""),
                )
                for row in rows
            ],
        )
        for key, label, colour in (
            ("cost", _("First-year cost"), RED),
            ("expected", _("Expected benefit / yr"), BLUE),
            ("realised", _("Realised benefit / yr"), GREEN),
        )
    ]
    return render(
        Chart(
            title=_("Cost versus benefit by department"),
            chart_id="money",
            desc=_(
                "Three bars per department, in %(currency)s: first-year cost, expected yearly "
                "benefit and realised yearly benefit."
            )
            % {"currency": currency},
            series=series,
            x_title=_("Department"),
            y_title=currency,
            height=360,
        )
    )


VELOCITY_COLOURS = {"faster": GREEN, "slower": RED, "first": GREY, "same": AMBER}
VELOCITY_WORDS = {
    "faster": gettext_lazy("faster"),
    "slower": gettext_lazy("slower"),
    "first": gettext_lazy("first"),
    "same": gettext_lazy("same"),
}
LINE_COLOURS = (BLUE, "#6a3d9a", "#0f6e6e", "#8c2d5a", "#44546a", "#7a5c00")


def velocity_chart(
    entries: list[dict],
    *,
    title: str = gettext_lazy("Time to scale"),
    url: Callable[[int], str] | None = None,
) -> SafeString:
    """Each department's durations in submission order; a point is green when faster than
    the one before, red when slower. ``url(use_case_id)`` links a point to its use case."""
    series = []
    for index, entry in enumerate(e for e in entries if e["points"]):
        trend = entry["trend"]
        status = f" ({trend.label})" if trend is not None and trend.label else ""
        series.append(
            Series(
                name=f"{entry['department'].name}{status}",
                kind="line",
                colour=LINE_COLOURS[index % len(LINE_COLOURS)],
                points=[
                    Point(
                        x=str(p.position),
                        y=float(p.value),
                        shown=_("%(title)s: %(days).0f days, %(label)s")
                        % {
                            "title": p.title,
                            "days": float(p.value),
                            "label": VELOCITY_WORDS.get(p.label, p.label),
                        },
                        colour=VELOCITY_COLOURS.get(p.label, GREY),
                        url=url(p.use_case_id) if url else "",
                    )
                    for p in entry["points"]
                ],
            )
        )
    return render(
        Chart(
            title=_("Velocity (%(measure)s): each initiative against the one before")
            % {"measure": title},
            chart_id="velocity",
            desc=_(
                "A line per department through its initiatives in order of submission, in "
                "days; a point is green when faster than the initiative before, red when "
                "slower, grey for the first."
            ),
            series=series,
            x_title=_("Initiative in order of submission"),
            y_title=_("days"),
            height=420,
        )
    )


def latency_chart(rows: list[dict]) -> SafeString:
    """Median and longest decision latency per month, against the target."""
    target = settings.FLYWHEEL_DECISION_TARGET_HOURS
    median = [
        Point(
            x=row["month"],
            y=row["median_hours"],
            shown=f"{row['median_hours'] or 0:.0f} h",
            url=row.get("url", ""),
            colour=GREEN if (row["median_hours"] or 0) <= target else RED,
        )
        for row in rows
    ]
    longest = [
        Point(
            x=row["month"],
            y=row["max_hours"],
            shown=f"{row['max_hours'] or 0:.0f} h",
            url=row.get("url", ""),
        )
        for row in rows
    ]
    return render(
        Chart(
            title=_("Decision latency by month"),
            chart_id="latency",
            desc=_(
                "A bar per month for the median hours from request to decision (green "
                "within the %(target)s h target, red over it), a grey point for the longest, "
                "and the target as a dashed line."
            )
            % {"target": target},
            series=[
                Series(name=_("Median hours"), points=median, colour=GREEN),
                Series(name=_("Longest"), points=longest, colour=GREY, kind="markers"),
            ],
            rules=[Rule(y=target, text=_("%(target)s h target") % {"target": target})],
            x_title=_("Month"),
            y_title=_("hours from request to decision"),
        )
    )


def origination_chart(rows: list[dict]) -> SafeString:
    """Bottom-up versus top-down."""
    colours = (GREEN, BLUE)
    points = [
        Point(x=row["label"], y=row["count"], url=row.get("url", ""), colour=colours[index % 2])
        for index, row in enumerate(rows)
    ]
    return render(
        Chart(
            title=_("Origination mix"),
            chart_id="origins",
            desc=_("The submitted use cases by origin, as shares of a ring."),
            series=[Series(name=_("use cases"), points=points)],
            shape="donut",
            x_title=_("Origin"),
        )
    )


def metric_chart(metric) -> SafeString:
    """One metric's readings over time, with its baseline and target as lines."""
    readings = metric.readings_so_far
    points = [
        Point(x=f"{r.measured_at:%Y-%m-%d}", y=float(r.value), shown=f"{r.value} {metric.unit}")
        for r in readings
    ]
    rules = [
        Rule(y=float(value), text=text, colour=colour, dash=dash)
        for value, dash, colour, text in (
            (metric.baseline, "2 3", GREY, _("baseline")),
            (metric.target, "6 4", GREEN, _("target")),
        )
        if value is not None
    ]
    return render(
        Chart(
            title=f"{metric.name} ({metric.get_direction_display().lower()})",
            desc=_(
                "The readings of %(metric)s in %(unit)s by date, with the baseline and the "
                "target as lines where they are set."
            )
            % {"metric": metric.name, "unit": metric.unit},
            series=[Series(name=_("reading"), points=points, kind="line")],
            rules=rules,
            x_title=_("Measured on"),
            y_title=metric.unit,
            height=260,
            empty=_("No readings yet."),
            chart_id=f"metric-{metric.pk}",
        )
    )


def reuse_chart(reuse: dict, urls: dict | None = None) -> SafeString:
    """Use cases built on a template versus from scratch, and their mean days to scale."""
    urls, saved = urls or {}, reuse["saved"]

    def shown(count: int, days) -> str:
        if days is None:
            return f"{count}"
        return _("%(count)s, %(days).0f days to scale") % {"count": count, "days": days}

    points = [
        Point(
            x=_("Built on a template"),
            y=reuse["templated"],
            shown=shown(reuse["templated"], saved["template_mean_days"]),
            url=urls.get("templated", ""),
            colour=GREEN,
        ),
        Point(
            x=_("From scratch"),
            y=reuse["scratch"],
            shown=shown(reuse["scratch"], saved["scratch_mean_days"]),
            url=urls.get("scratch", ""),
            colour=GREY,
        ),
    ]
    return render(
        Chart(
            title=_("Template reuse"),
            chart_id="reuse",
            desc=_(
                "Use cases built on a template against those built from scratch, with each "
                "group's mean days to scale."
            ),
            series=[Series(name=_("use cases"), points=points)],
            y_title=_("use cases"),
            height=260,
        )
    )


def budget_chart(history: list, *, board_name: str) -> SafeString:
    """A board's error budget over time: the budget and what remains of it, each day at the
    end of its rolling window, with zero (budget spent) marked."""
    days = [f"{moment:%Y-%m-%d}" for moment, _ in history]
    budget = [Point(x=day, y=float(f.budget)) for day, (_, f) in zip(days, history, strict=True)]
    remaining = [
        Point(x=day, y=float(f.remaining), colour=GREEN if f.remaining > 0 else RED)
        for day, (_, f) in zip(days, history, strict=True)
    ]
    return render(
        Chart(
            title=_("%(board)s: error budget over time") % {"board": board_name},
            desc=_(
                "Each day, the decisions the board may still take past its target within its "
                "rolling window (the budget, grey) and what remains of it (green above zero, "
                "red when spent); zero is the dashed line."
            ),
            series=[
                Series(name=_("Error budget"), points=budget, colour=GREY, kind="line"),
                Series(name=_("Remaining"), points=remaining, colour=AMBER, kind="line"),
            ],
            rules=[Rule(y=0, text=_("budget spent"))],
            x_title=_("Day"),
            y_title=_("decisions allowed past the target"),
            chart_id="budget",
        )
    )


def portfolio_charts(figures: dict) -> dict:
    """The dashboard's charts for the monthly pack, drawn by the same builders."""
    return {
        "funnel": funnel_chart(figures["funnel"]),
        "flags": flags_chart(figures["flags"]),
        "latency": latency_chart(figures["latency"][-12:]),
        "origins": origination_chart(figures["origins"]),
    }
