"""Plotly figures of the dashboard, built from the selectors' rows.

Each figure is a plain plotly.js spec (data + layout) rendered in the page by plotly.js's
"basic" bundle (bar, scatter, pie: a quarter of the full library), served from this site
compressed and cached: no CDN. Only those trace types are used here. Every point carries the URL
of the list behind it in ``customdata``; flywheel/charts.js follows it on click.
"""

import datetime as dt

import plotly.graph_objects as go
from django.conf import settings

from console.dashboard import links

GREEN, RED, GREY, BLUE, AMBER = "#2f8132", "#b83232", "#9aa5b1", "#2658a6", "#b7791f"
LAYOUT = {
    "template": "none",
    "margin": {"l": 56, "r": 16, "t": 36, "b": 48},
    "height": 320,
    "font": {"family": "system-ui, sans-serif", "size": 12},
    "hovermode": "closest",
    "legend": {"orientation": "h", "y": -0.2},
    # Labels are never cut off: the plot area shrinks to make room for them.
    "xaxis": {"automargin": True},
    "yaxis": {"automargin": True},
}


def _spec(fig: go.Figure, title: str, **layout) -> dict:
    fig.update_layout(**LAYOUT, title={"text": title, "x": 0, "font": {"size": 14}})
    fig.update_layout(**layout)
    return fig.to_plotly_json()


def funnel_chart(rows: list[dict]) -> dict:
    """Use cases that reached each stage, with the conversion from the stage before."""
    labels = [
        f"{row['label']}" + (f" ({row['conversion']:.0%})" if row["conversion"] is not None else "")
        for row in rows
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=[row["reached"] for row in rows],
            orientation="h",
            customdata=[links.funnel(row["stage"]) for row in rows],
            marker={"color": BLUE},
            text=[row["reached"] for row in rows],
            textposition="auto",
            hovertemplate="%{y}: %{x} use cases<extra></extra>",
        )
    )
    return _spec(
        fig,
        "Funnel: use cases that reached each stage",
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": "use cases"}, "automargin": True},
    )


def money_chart(rows: list[dict]) -> dict:
    """First-year cost against expected and realised yearly benefit, per department."""
    currency = settings.FLYWHEEL_CURRENCY
    names = [row["department__name"] for row in rows]
    urls = [links.submitted(department__id__exact=row["department_id"]) for row in rows]
    fig = go.Figure()
    for key, label, colour in (
        ("cost", "First-year cost", RED),
        ("expected", "Expected benefit / yr", BLUE),
        ("realised", "Realised benefit / yr", GREEN),
    ):
        fig.add_bar(
            x=names,
            y=[float(row[key]) for row in rows],
            name=label,
            marker_color=colour,
            customdata=urls,
            hovertemplate=f"%{{x}}: {currency} %{{y:,.0f}}<extra>{label}</extra>",
        )
    fig.update_layout(barmode="group")
    return _spec(
        fig,
        "Cost versus benefit by department",
        height=360,
        legend={"orientation": "h", "y": 1.12, "x": 0},
        margin={"t": 64},
        yaxis={"title": {"text": currency}, "tickformat": ",.0f", "automargin": True},
        xaxis={"automargin": True, "tickangle": -30},
    )


def velocity_chart(entries: list[dict], *, title: str = "Time to scale") -> dict:
    """Each department's durations in submission order; green faster, red slower."""
    fig = go.Figure()
    colour = {"faster": GREEN, "slower": RED, "first": GREY, "same": AMBER}
    for entry in entries:
        points = entry["points"]
        if not points:
            continue
        trend = entry["trend"]
        status = f" ({trend.label})" if trend is not None and trend.label else ""
        fig.add_scatter(
            x=[p.position for p in points],
            y=[float(p.value) for p in points],
            mode="lines+markers",
            name=f"{entry['department'].name}{status}",
            text=[f"{p.title}: {p.label}" for p in points],
            marker={"color": [colour.get(p.label, GREY) for p in points], "size": 9},
            customdata=[links.use_case_page(p.use_case_id) for p in points],
            hovertemplate="%{text}<br>%{y:.0f} days<extra></extra>",
        )
    fig.update_layout(
        xaxis={
            "title": {"text": "initiative in order of submission"},
            "dtick": 1,
            "automargin": True,
        },
        yaxis={"title": {"text": "days"}, "automargin": True},
    )
    return _spec(
        fig,
        f"Velocity: {title.lower()}, each initiative against the one before",
        height=420,
        legend={"orientation": "h", "y": -0.25},
    )


def latency_chart(rows: list[dict]) -> dict:
    """Median and longest decision latency per month, against the target."""
    target = settings.FLYWHEEL_DECISION_TARGET_HOURS
    months = [row["month"] for row in rows]
    urls = [row["url"] for row in rows]
    fig = go.Figure()
    fig.add_bar(
        x=months,
        y=[row["median_hours"] for row in rows],
        name="Median hours",
        marker_color=[GREEN if row["median_hours"] <= target else RED for row in rows],
        customdata=urls,
    )
    fig.add_scatter(
        x=months,
        y=[row["max_hours"] for row in rows],
        name="Longest",
        mode="markers",
        marker={"color": GREY},
        customdata=urls,
    )
    fig.add_hline(y=target, line_dash="dash", line_color=RED, annotation_text=f"{target} h target")
    return _spec(
        fig,
        "Decision latency by month",
        yaxis={"title": {"text": "hours from request to decision"}, "automargin": True},
        xaxis={"type": "category", "automargin": True},
    )


def flags_chart(rows: list[dict]) -> dict:
    """Open flags by kind."""
    fig = go.Figure(
        go.Bar(
            y=[row["label"] for row in rows],
            x=[row["count"] for row in rows],
            orientation="h",
            marker_color=AMBER,
            customdata=[links.use_cases(flag=row["kind"]) for row in rows],
        )
    )
    return _spec(
        fig,
        "Open flags by kind",
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": "use cases"}, "automargin": True},
    )


def origination_chart(rows: list[dict]) -> dict:
    """Bottom-up versus top-down."""
    fig = go.Figure(
        go.Pie(
            labels=[row["label"] for row in rows],
            values=[row["count"] for row in rows],
            hole=0.5,
            marker={"colors": [GREEN, BLUE]},
            customdata=[links.submitted(origin__exact=row["origin"]) for row in rows],
            sort=False,
        )
    )
    return _spec(fig, "Origination mix")


def metric_chart(metric) -> dict:
    """One metric's readings over time, with its baseline and target as lines."""
    readings = metric.readings_so_far
    fig = go.Figure(
        go.Scatter(
            x=[r.measured_at.isoformat() for r in readings],
            y=[float(r.value) for r in readings],
            mode="lines+markers",
            name="reading",
            marker={"color": BLUE},
        )
    )
    if not readings:
        fig.add_annotation(
            text="no readings yet", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False
        )
        fig.update_xaxes(showticklabels=False)
    if metric.baseline is not None:
        fig.add_hline(
            y=float(metric.baseline), line_dash="dot", line_color=GREY, annotation_text="baseline"
        )
    if metric.target is not None:
        fig.add_hline(
            y=float(metric.target), line_dash="dash", line_color=GREEN, annotation_text="target"
        )
    return _spec(
        fig,
        f"{metric.name} ({metric.get_direction_display().lower()})",
        height=260,
        yaxis={"title": {"text": metric.unit}, "automargin": True},
        xaxis=_date_axis([r.measured_at for r in readings]),
        showlegend=False,
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
    fig = go.Figure(
        go.Bar(
            x=["Built on a template", "From scratch"],
            y=[reuse["templated"], reuse["scratch"]],
            marker_color=[GREEN, GREY],
            customdata=[urls["templated"], urls["scratch"]],
            name="use cases",
            text=[
                f"{saved['template_mean_days']:.0f} days to scale"
                if saved["template_mean_days"] is not None
                else "",
                f"{saved['scratch_mean_days']:.0f} days to scale"
                if saved["scratch_mean_days"] is not None
                else "",
            ],
            textposition="auto",
        )
    )
    return _spec(
        fig,
        "Template reuse",
        height=260,
        yaxis={"title": {"text": "use cases"}, "automargin": True},
    )
