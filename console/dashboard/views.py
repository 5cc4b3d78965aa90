"""The executives' admin pages: the portfolio dashboard (the admin's home) and a use case."""

import gzip
from functools import cache
from pathlib import Path

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from compliance.selectors import posture_by_department, use_case_compliance
from console.dashboard import charts, links
from console.dashboard import selectors as dashboard_selectors
from console.dashboard.use_case import use_case_page
from governance.selectors_looks_ahead import board_objectives
from portfolio.choices import State
from portfolio.models import UseCase
from portfolio.models.velocity import SnapshotMeasure
from portfolio.selectors_history import use_case_history
from reports.packs import months_kept

# plotly.js's "basic" bundle (bar, scatter, pie), vendored: 1.2 MB, 0.39 MB gzipped, where
# the full library the plotly wheel ships is 4.8 MB (1.5 MB gzipped). Its version is in the
# URL, so browsers may keep it for a year.
PLOTLY_JS = Path(__file__).resolve().parents[1] / "static/flywheel/vendor/plotly-basic.min.js"
PLOTLY_VERSION = "4.1.1"


def _admin_context(request, title: str) -> dict:
    # The dashboard needs the width; the model list sits below it instead of in a sidebar.
    return {
        **admin.site.each_context(request),
        "title": title,
        "is_nav_sidebar_enabled": False,
    }


def dashboard(request):
    """The portfolio dashboard above the admin's list of models."""
    figures = dashboard_selectors.dashboard(measure=request.GET.get("measure"))
    for row in figures["latency"]:
        year, month = row["month"].split("-")
        row["url"] = links.decisions(decided_at__year=int(year), decided_at__month=int(month))
    chart_specs = {
        "funnel": charts.funnel_chart(figures["funnel"]),
        "money": charts.money_chart(figures["money"]),
        "velocity": charts.velocity_chart(
            figures["velocity"]["departments"], title=figures["velocity"]["measure_label"]
        ),
        "latency": charts.latency_chart(figures["latency"]),
        "flags": charts.flags_chart(figures["flags"]),
        "origins": charts.origination_chart(figures["origins"]),
    }
    for row in figures["funnel"]:
        row["url"] = links.funnel(row["stage"])
    for row in figures["money"]:
        row["url"] = links.submitted(department__id__exact=row["department_id"])
    for row in figures["flags"]:
        row["url"] = links.use_cases(flag=row["kind"])
    for row in figures["origins"]:
        row["url"] = links.submitted(origin__exact=row["origin"])
    for row in figures["kill_rate"]:
        row["url"] = links.use_cases(killed_in=row["stage"])
    for entry in figures["velocity"]["departments"]:
        entry["url"] = links.use_cases(department__id__exact=entry["department"].pk)
    posture = posture_by_department(today=timezone.localdate())
    for row in posture:
        row["url"] = links.changelist(
            "compliance_obligation", use_case__department__id__exact=row["department_id"]
        )
        row["overdue_url"] = links.changelist(
            "compliance_obligation",
            use_case__department__id__exact=row["department_id"],
            overdue="1",
        )
    back_test = []
    for row in figures["back_test"]:
        where = {"measure__exact": row["measure"]}
        if row["department_id"] is not None:
            where["department__id__exact"] = row["department_id"]
        forecasts = "portfolio_forecastsnapshot"
        back_test.append(
            {
                "row": row,
                "url": links.changelist(forecasts, outcome="completed", **where),
                "outside_url": links.changelist(forecasts, outcome="outside", **where),
            }
        )
    figures["back_test"] = back_test
    targets = {b["board"]: b for b in figures["delay"]["boards"]}
    objectives = board_objectives()
    hours = {entry.board.pk: entry.board.decision_target_hours for entry in objectives}
    for row in figures["delay"]["departments"]:
        row["overdue_url"] = links.changelist(
            "gates_gatereview",
            status__exact="open",
            use_case__department__id__exact=row["department_id"],
            waiting_over_hours=hours.get(row["board_id"], 48),
        )
        row["purgatory_url"] = links.use_cases(
            flag="pilot_purgatory", department__id__exact=row["department_id"]
        )
    for row in targets.values():
        row["url"] = reverse("board-objective", args=[row["board_id"]]) if row["board_id"] else ""
    for row in figures["dividend"]["templates"]:
        row["url"] = links.use_cases(template__id__exact=row["template_id"], reached="scale")
    for row in figures["dividend"]["departments"]:
        row["url"] = links.use_cases(
            template__isempty="0", reached="scale", department__id__exact=row["department_id"]
        )
    reuse_links = {
        "templated": links.submitted(template__isempty="0"),
        "scratch": links.submitted(template__isempty="1"),
    }
    chart_specs["reuse"] = charts.reuse_chart(figures["templates"], reuse_links)
    context = {
        **_admin_context(request, "Portfolio dashboard"),
        "velocity_measures": [
            (measure, SnapshotMeasure(measure).label)
            for measure in dashboard_selectors.VELOCITY_MEASURES
        ],
        **figures,
        "charts": chart_specs,
        "objectives": objectives,
        "posture": posture,
        "latency_recent": figures["latency"][-12:],
        "packs_kept": [m for m in months_kept() if m != timezone.localdate().strftime("%Y-%m")],
        "app_list": admin.site.get_app_list(request),
        "links": {
            **reuse_links,
            "killed": links.use_cases(state__exact=State.KILLED),
            "zombies": links.use_cases(
                state__exact=State.ON_HOLD,
                state_changed_at__lt=figures["zombies"]["since_before"].isoformat(),
            ),
            "pilots": links.use_cases(past_time_box="1"),
        },
    }
    return TemplateResponse(request, "admin/flywheel/dashboard.html", context)


def use_case(request, pk: int):
    """One use case for executives: timeline, scorecards, votes, decisions, metric history,
    diagnostic and flags."""
    try:
        page = use_case_page(pk=pk)
    except UseCase.DoesNotExist as exc:
        raise Http404("No such use case.") from exc
    metric_charts = [
        (f"metric-{metric.pk}", charts.metric_chart(metric)) for metric in page.metrics
    ]
    return TemplateResponse(
        request,
        "admin/flywheel/use_case.html",
        {
            **_admin_context(request, page.use_case.title),
            "page": page,
            "use_case": page.use_case,
            "metric_charts": metric_charts,
            "compliance": use_case_compliance(use_case=page.use_case, today=timezone.localdate()),
            "change_history": use_case_history(use_case_id=page.use_case.pk),
            "change_url": links.changelist("portfolio_usecase").rstrip("/")
            + f"/{page.use_case.pk}/change/",
        },
    )


@cache
def _plotly_bytes() -> tuple[bytes, bytes]:
    raw = PLOTLY_JS.read_bytes()
    return raw, gzip.compress(raw, compresslevel=9, mtime=0)


@require_GET
@cache_control(public=True, max_age=365 * 86400, immutable=True)
def plotly_js(request):
    """plotly.js served by this site (no CDN), gzipped for the browsers that accept it."""
    raw, packed = _plotly_bytes()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(packed, content_type="text/javascript")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(raw, content_type="text/javascript")
    response["Vary"] = "Accept-Encoding"
    return response
