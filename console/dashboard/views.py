"""The executives' admin pages: the portfolio dashboard (the admin's home) and a use case."""

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.selectors import posture_by_department, use_case_compliance
from console.dashboard import links
from console.dashboard import selectors as dashboard_selectors
from console.dashboard.use_case import use_case_page
from governance.selectors_looks_ahead import board_objectives
from portfolio.choices import State
from portfolio.models import UseCase
from portfolio.models.velocity import SnapshotMeasure
from portfolio.selectors_history import use_case_history
from reports import charts
from reports.packs import months_kept


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
    chart_specs = {
        "funnel": charts.funnel_chart(figures["funnel"]),
        "money": charts.money_chart(figures["money"]),
        "velocity": charts.velocity_chart(
            figures["velocity"]["departments"],
            title=figures["velocity"]["measure_label"],
            url=links.use_case_page,
        ),
        "latency": charts.latency_chart(figures["latency"]),
        "flags": charts.flags_chart(figures["flags"]),
        "origins": charts.origination_chart(figures["origins"]),
    }
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
        **_admin_context(request, _("Portfolio dashboard")),
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
        raise Http404(_("No such use case.")) from exc
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
