"""Plotly figures of the dashboard, built from the selectors' rows.

Each figure is a plain plotly.js spec (data + layout), written here as dicts (plotly.js reads
the same JSON the ``plotly`` package would produce, without the package's validation of every
property, which cost most of the dashboard's time) and rendered in the page by plotly.js's
"basic" bundle (bar, scatter, pie: a quarter of the full library), served from this site
compressed and cached: no CDN. Only those trace types are used here. Every point carries the URL
of the list behind it in ``customdata``; flywheel/charts.js follows it on click.
"""

import datetime as dt

from django.conf import settings

from console.dashboard import links

GREEN, RED, GREY, BLUE, AMBER = "#2f8132", "#b83232", "#9aa5b1", "#2658a6", "#b7791f"
LAYOUT = {
    # plotly's "none" template as the package writes it: no theme at all.
    "template": {"data": {"scatter": [{"type": "scatter"}]}},
    "margin": {"l": 56, "r": 16, "t": 36, "b": 48},
    "height": 320,
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "hovermode": "closest",
    "legend": {"orientation": "h", "y": -0.2},
    # Labels are never cut off: the plot area shrinks to make room for them.
    "xaxis": {"automargin": True},
    "yaxis": {"automargin": True},
}


def _merged(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, nested dicts merged (as plotly's update_layout does)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _spec(data: list[dict], title: str, **layout) -> dict:
    base = _merged(LAYOUT, {"title": {"text": title, "x": 0, "font": {"size": 14}}})
    return {"data": data, "layout": _merged(base, layout)}


def _hline(y, *, dash: str, colour: str, text: str) -> tuple[dict, dict]:
    """A horizontal line across the plot with its label at the right end (the shape and the
    annotation plotly's add_hline writes)."""
    shape = {
        "type": "line",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y,
        "y1": y,
        "line": {"color": colour, "dash": dash},
    }
    label = {
        "text": text,
        "showarrow": False,
        "xref": "x domain",
        "x": 1,
        "xanchor": "right",
        "yref": "y",
        "y": y,
        "yanchor": "bottom",
    }
    return shape, label


def funnel_chart(rows: list[dict]) -> dict:
    """Use cases that reached each stage, with the conversion from the stage before."""
    labels = [
        f"{row['label']}" + (f" ({row['conversion']:.0%})" if row["conversion"] is not None else "")
        for row in rows
    ]
    bar = {
        "type": "bar",
        "y": labels,
        "x": [row["reached"] for row in rows],
        "orientation": "h",
        "customdata": [links.funnel(row["stage"]) for row in rows],
        "marker": {"color": BLUE},
        "text": [str(row["reached"]) for row in rows],
        "textposition": "auto",
        "hovertemplate": "%{y}: %{x} use cases<extra></extra>",
    }
    return _spec(
        [bar],
        "Funnel: use cases that reached each stage",
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": "use cases"}, "automargin": True},
    )


def money_chart(rows: list[dict]) -> dict:
    """First-year cost against expected and realised yearly benefit, per department."""
    currency = settings.FLYWHEEL_CURRENCY
    names = [row["department__name"] for row in rows]
    urls = [links.submitted(department__id__exact=row["department_id"]) for row in rows]
    bars = [
        {
            "type": "bar",
            "x": names,
            "y": [float(row[key]) for row in rows],
            "name": label,
            "marker": {"color": colour},
            "customdata": urls,
            "hovertemplate": f"%{{x}}: {currency} %{{y:,.0f}}<extra>{label}</extra>",
        }
        for key, label, colour in (
            ("cost", "First-year cost", RED),
            ("expected", "Expected benefit / yr", BLUE),
            ("realised", "Realised benefit / yr", GREEN),
        )
    ]
    return _spec(
        bars,
        "Cost versus benefit by department",
        barmode="group",
        height=360,
        legend={"orientation": "h", "y": 1.12, "x": 0},
        margin={"t": 64},
        yaxis={"title": {"text": currency}, "tickformat": ",.0f", "automargin": True},
        xaxis={"automargin": True, "tickangle": -30},
    )


def velocity_chart(entries: list[dict], *, title: str = "Time to scale") -> dict:
    """Each department's durations in submission order; green faster, red slower."""
    colour = {"faster": GREEN, "slower": RED, "first": GREY, "same": AMBER}
    lines = []
    for entry in entries:
        points = entry["points"]
        if not points:
            continue
        trend = entry["trend"]
        status = f" ({trend.label})" if trend is not None and trend.label else ""
        lines.append(
            {
                "type": "scatter",
                "x": [p.position for p in points],
                "y": [float(p.value) for p in points],
                "mode": "lines+markers",
                "name": f"{entry['department'].name}{status}",
                "text": [f"{p.title}: {p.label}" for p in points],
                "marker": {"color": [colour.get(p.label, GREY) for p in points], "size": 9},
                "customdata": [links.use_case_page(p.use_case_id) for p in points],
                "hovertemplate": "%{text}<br>%{y:.0f} days<extra></extra>",
            }
        )
    return _spec(
        lines,
        f"Velocity: {title.lower()}, each initiative against the one before",
        height=420,
        legend={"orientation": "h", "y": -0.25},
        xaxis={
            "title": {"text": "initiative in order of submission"},
            "dtick": 1,
            "automargin": True,
        },
        yaxis={"title": {"text": "days"}, "automargin": True},
    )


def latency_chart(rows: list[dict]) -> dict:
    """Median and longest decision latency per month, against the target."""
    target = settings.FLYWHEEL_DECISION_TARGET_HOURS
    months = [row["month"] for row in rows]
    urls = [row["url"] for row in rows]
    median = {
        "type": "bar",
        "x": months,
        "y": [row["median_hours"] for row in rows],
        "name": "Median hours",
        "marker": {"color": [GREEN if row["median_hours"] <= target else RED for row in rows]},
        "customdata": urls,
    }
    longest = {
        "type": "scatter",
        "x": months,
        "y": [row["max_hours"] for row in rows],
        "name": "Longest",
        "mode": "markers",
        "marker": {"color": GREY},
        "customdata": urls,
    }
    line, label = _hline(target, dash="dash", colour=RED, text=f"{target} h target")
    return _spec(
        [median, longest],
        "Decision latency by month",
        shapes=[line],
        annotations=[label],
        yaxis={"title": {"text": "hours from request to decision"}, "automargin": True},
        xaxis={"type": "category", "automargin": True},
    )


def flags_chart(rows: list[dict]) -> dict:
    """Open flags by kind."""
    bar = {
        "type": "bar",
        "y": [row["label"] for row in rows],
        "x": [row["count"] for row in rows],
        "orientation": "h",
        "marker": {"color": AMBER},
        "customdata": [links.use_cases(flag=row["kind"]) for row in rows],
    }
    return _spec(
        [bar],
        "Open flags by kind",
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": "use cases"}, "automargin": True},
    )


def origination_chart(rows: list[dict]) -> dict:
    """Bottom-up versus top-down."""
    pie = {
        "type": "pie",
        "labels": [row["label"] for row in rows],
        "values": [row["count"] for row in rows],
        "hole": 0.5,
        "marker": {"colors": [GREEN, BLUE]},
        "customdata": [links.submitted(origin__exact=row["origin"]) for row in rows],
        "sort": False,
    }
    return _spec([pie], "Origination mix")


def metric_chart(metric) -> dict:
    """One metric's readings over time, with its baseline and target as lines."""
    readings = metric.readings_so_far
    line = {
        "type": "scatter",
        "x": [r.measured_at.isoformat() for r in readings],
        "y": [float(r.value) for r in readings],
        "mode": "lines+markers",
        "name": "reading",
        "marker": {"color": BLUE},
    }
    shapes, labels = [], []
    xaxis = _date_axis([r.measured_at for r in readings])
    if not readings:
        labels.append(
            {
                "text": "no readings yet",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
            }
        )
        xaxis["showticklabels"] = False
    for value, dash, colour, text in (
        (metric.baseline, "dot", GREY, "baseline"),
        (metric.target, "dash", GREEN, "target"),
    ):
        if value is not None:
            shape, label = _hline(float(value), dash=dash, colour=colour, text=text)
            shapes.append(shape)
            labels.append(label)
    extra = {"shapes": shapes} if shapes else {}
    if labels:
        extra["annotations"] = labels
    return _spec(
        [line],
        f"{metric.name} ({metric.get_direction_display().lower()})",
        height=260,
        yaxis={"title": {"text": metric.unit}, "automargin": True},
        xaxis=xaxis,
        showlegend=False,
        **extra,
    )


def _date_axis(moments: list) -> dict:
    """A time axis in dates; a single reading gets a fortnight either side, not milliseconds."""
    axis = {"type": "date", "tickformat": "%Y-%m-%d", "automargin": True}
    if len(moments) == 1:
        day = dt.timedelta(days=14)
        axis["range"] = [(moments[0] - day).isoformat(), (moments[0] + day).isoformat()]
    return axis


def reuse_chart(reuse: dict, urls: dict) -> dict:
    """Use cases built on a template versus from scratch, and their mean days to scale."""
    saved = reuse["saved"]
    bar = {
        "type": "bar",
        "x": ["Built on a template", "From scratch"],
        "y": [reuse["templated"], reuse["scratch"]],
        "marker": {"color": [GREEN, GREY]},
        "customdata": [urls["templated"], urls["scratch"]],
        "name": "use cases",
        "text": [
            f"{saved['template_mean_days']:.0f} days to scale"
            if saved["template_mean_days"] is not None
            else "",
            f"{saved['scratch_mean_days']:.0f} days to scale"
            if saved["scratch_mean_days"] is not None
            else "",
        ],
        "textposition": "auto",
    }
    return _spec(
        [bar],
        "Template reuse",
        height=260,
        yaxis={"title": {"text": "use cases"}, "automargin": True},
    )


def budget_chart(history: list, *, board_name: str) -> dict:
    """A board's error budget over time: the budget and what remains of it, each day at the
    end of its rolling window, with zero (budget spent) marked."""
    days = [moment.strftime("%Y-%m-%d") for moment, _ in history]
    budget = {
        "type": "scatter",
        "mode": "lines",
        "x": days,
        "y": [float(figures.budget) for _, figures in history],
        "name": "Error budget",
        "line": {"color": GREY},
    }
    remaining = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": days,
        "y": [float(figures.remaining) for _, figures in history],
        "name": "Remaining",
        "marker": {"color": [GREEN if f.remaining > 0 else RED for _, f in history]},
        "line": {"color": AMBER},
    }
    line, label = _hline(0, dash="dash", colour=RED, text="budget spent")
    return _spec(
        [budget, remaining],
        f"{board_name}: error budget over time",
        shapes=[line],
        annotations=[label],
        yaxis={"title": {"text": "decisions allowed past the target"}, "automargin": True},
        xaxis={"type": "category", "automargin": True},
    )
