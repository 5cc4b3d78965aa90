"""The executive dashboard and use case page: charts, links, no external host, fixed queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models.velocity import Flag, FlagKind
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.factories import submitted
from tests.support.console import decided

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)
CHARTS = ("funnel", "money", "velocity", "latency", "flags", "origins", "reuse")
CELL = re.compile(r'<td>(?:<a href="[^"]*">)?([^<]*)')
HREF = re.compile(r'href="([^"]*)"')


def chart_cells(chart) -> list[str]:
    """The figures of a drawn chart's data table, row by row."""
    return CELL.findall(str(chart))


def chart_links(chart) -> set[str]:
    """Where a drawn chart's marks and table cells link to."""
    return {href.replace("&amp;", "&") for href in HREF.findall(str(chart))}


def grow_portfolio(department, head, chair, members, n: int) -> None:
    """``n`` decided use cases, as many drafts and flagged submitted ones, then velocity."""
    for i in range(n):
        decided(department, head, chair, members)
        factories.UseCaseFactory(department=department)
        flagged = submitted(department, head, origin="top_down" if i % 2 else "bottom_up")
        Flag.objects.create(use_case=flagged, kind=FlagKind.STALE_METRICS, reason="No reading.")
    velocity_recompute()


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def exec_client(client, executive):
    client.force_login(executive)
    return client


def test_admin_home_is_the_dashboard_with_every_chart(
    exec_client, department, head, chair, members
):
    grow_portfolio(department, head, chair, members, 2)
    response = exec_client.get(reverse("admin:index"))
    body = response.content.decode()
    for chart in CHARTS:
        assert f'data-chart="{chart}"' in body
        assert f'<title id="{chart}-title">' in body
        assert f'<desc id="{chart}-desc">' in body
    # Two rounds of grow_portfolio: 2 decided + 2 drafts + 2 submitted = 6 ideas; 4 submitted
    # (2 decided at pilot, 2 submitted), 2 reached pilot, none further.
    assert chart_cells(response.context["charts"]["funnel"]) == ["6", "4", "2", "0", "0"]
    assert "portfolio" in {app["app_label"] for app in response.context["app_list"]}


def test_dashboard_html_references_no_external_host(exec_client, department, head, chair, members):
    grow_portfolio(department, head, chair, members, 1)
    body = exec_client.get(reverse("admin:index")).content.decode()
    assert not EXTERNAL.findall(body)
    assert "cdn" not in body.lower()
    assert "plotly" not in body.lower()


def test_every_chart_is_svg_drawn_on_the_server_with_its_data_as_a_table(
    exec_client, department, head, chair, members
):
    grow_portfolio(department, head, chair, members, 1)
    body = exec_client.get(reverse("admin:index")).content.decode()
    assert body.count('<figure class="fw-chart"') == len(CHARTS)
    assert body.count('<details class="fw-chart-data">') == len(CHARTS)
    assert "<script" not in body.split('id="flywheel-dashboard"', 1)[1].split("</main>")[0]


def test_figures_link_to_the_filtered_list_behind_them(
    exec_client, department, head, chair, members
):
    grow_portfolio(department, head, chair, members, 2)
    context = exec_client.get(reverse("admin:index")).context
    pilot = next(row for row in context["funnel"] if row["stage"] == "pilot")
    flags = next(row for row in context["flags"] if row["kind"] == FlagKind.STALE_METRICS)

    pilots = exec_client.get(pilot["url"]).context["cl"]
    flagged = exec_client.get(flags["url"]).context["cl"]

    assert pilots.result_count == pilot["reached"] == 2
    assert flagged.result_count == flags["count"] == 2
    assert pilot["url"] in chart_links(context["charts"]["funnel"])
    assert flags["url"] in chart_links(context["charts"]["flags"])


def test_dashboard_query_count_does_not_grow_with_use_cases(
    exec_client, department, other_department, head, chair, members
):
    grow_portfolio(department, head, chair, members, 1)
    few = dashboard_queries(exec_client)
    grow_portfolio(department, head, chair, members, 4)
    other_head = factories.head_of(other_department)
    grow_portfolio(other_department, other_head, chair, members, 2)
    assert dashboard_queries(exec_client) <= few


def test_dashboard_is_for_staff(client, head):
    client.force_login(head)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url


def use_case_queries(client, pk) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("flywheel-admin:use-case", args=[pk]))
    assert response.status_code == 200
    return len(queries)


def test_use_case_page_shows_timeline_scorecard_votes_decision_and_metric_chart(
    exec_client, department, head, chair, members
):
    review = decided(department, head, chair, members)
    velocity_recompute()
    response = exec_client.get(reverse("flywheel-admin:use-case", args=[review.use_case_id]))
    body = response.content.decode()
    assert "submitted → pilot" in body
    assert "Recommendation:" in body
    assert "Evidence holds." in body
    assert "GO</strong>" in body
    assert 'id="diagnostic"' in body
    metric = review.use_case.metrics.get(kind="business")
    assert f'data-chart="metric-{metric.pk}"' in body
    assert not EXTERNAL.findall(body)


def test_use_case_page_query_count_does_not_grow_with_rows(
    exec_client, department, head, chair, members
):
    review = decided(department, head, chair, members)
    few = use_case_queries(exec_client, review.use_case_id)
    metric = review.use_case.metrics.get(kind="business")
    factories.ReadingFactory.create_batch(20, metric=metric)
    for _ in range(3):
        factories.MetricFactory(use_case=review.use_case)
    Flag.objects.create(use_case=review.use_case, kind=FlagKind.STALE_METRICS, reason="x")
    assert use_case_queries(exec_client, review.use_case_id) <= few


def test_use_case_list_links_to_the_use_case_page(exec_client, department, head):
    use_case = submitted(department, head)
    body = exec_client.get(reverse("admin:portfolio_usecase_changelist")).content.decode()
    assert reverse("flywheel-admin:use-case", args=[use_case.pk]) in body


def test_every_link_on_the_dashboard_answers(exec_client, department, head, chair, members):
    grow_portfolio(department, head, chair, members, 2)
    response = exec_client.get(reverse("admin:index"))
    hrefs = set(re.findall(r'href="(/admin/[^"#]*)"', response.content.decode()))
    charts = response.context["charts"]
    for chart in charts.values():
        hrefs.update(chart_links(chart))
    assert len(hrefs) > 20
    for href in sorted(hrefs):
        if "logout" in href:
            continue
        assert exec_client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_dissent_stays_on_the_record(exec_client, department, head, chair, members):
    from governance import services as governance_services
    from tests.factories import submitted as submit

    use_case = submit(department, head)
    review = governance_services.review_request(use_case=use_case, actor=head)
    governance_services.vote_cast(review=review, actor=chair, choice="go", comment="Go.")
    governance_services.vote_cast(review=review, actor=members[0], choice="go", comment="Go.")
    governance_services.vote_cast(
        review=review, actor=members[1], choice="no_go", comment="Too early."
    )
    governance_services.review_close(review=review, actor=chair, rationale="Majority.")

    body = exec_client.get(reverse("flywheel-admin:use-case", args=[use_case.pk])).content
    assert body.decode().count(">dissent<") == 1


def test_velocity_shows_each_departments_latest_initiatives_in_order(department):
    from decimal import Decimal

    from console.dashboard import selectors
    from portfolio.models.velocity import VelocitySnapshot, department_scope

    for position in range(1, 36):
        VelocitySnapshot.objects.create(
            scope=department_scope(department.pk),
            measure="to_scale",
            use_case=factories.UseCaseFactory(department=department, with_metrics=False),
            department=department,
            position=position,
            value=Decimal(100 - position),
            label="faster" if position > 1 else "first",
        )

    entry = selectors.velocity_by_department(measure="to_scale")["departments"][0]

    positions = [point.position for point in entry["points"]]
    assert positions == list(range(6, 36))


def test_every_count_opens_on_exactly_the_rows_it_counts(
    exec_client, department, head, chair, members
):
    import datetime as dt

    from django.utils import timezone

    from portfolio import services

    long_ago = timezone.now() - dt.timedelta(days=120)
    grow_portfolio(department, head, chair, members, 2)
    decided(department, head, chair, members, verdict="no_go")
    decided(department, head, chair, members, at=long_ago)  # a pilot past its time box
    zombie = submitted(department, head)
    services.use_case_hold(use_case=zombie, actor=head, reason="Paused.", at=long_ago)
    template = submitted(department, head)
    submitted(department, head, template=template)
    factories.UseCaseFactory(department=department, template=template)  # a templated draft

    context = exec_client.get(reverse("admin:index")).context

    def listed(url: str) -> int:
        return exec_client.get(url).context["cl"].result_count

    for row in context["funnel"]:
        assert listed(row["url"]) == row["reached"], row["stage"]
    for row in context["money"]:
        assert listed(row["url"]) == row["use_cases"], row["department__name"]
    for row in context["flags"] + context["origins"]:
        assert listed(row["url"]) == row["count"], row["label"]
    for row in context["kill_rate"]:
        assert listed(row["url"]) == row["killed"], row["gate"]
    for row in context["latency"]:
        assert listed(row["url"]) == row["reviews"], row["month"]
    links = context["links"]
    assert listed(links["templated"]) == context["templates"]["templated"] == 1
    assert listed(links["scratch"]) == context["templates"]["scratch"]
    assert listed(links["zombies"]) == context["zombies"]["count"] == 1
    assert listed(links["pilots"]) == context["overrun"]["count"] == 1
    assert context["kill_rate"][0]["killed"] == 1


def test_the_dashboard_reads_the_jobs_snapshot_and_shows_its_age(
    exec_client, department, head, chair, members
):
    from console.dashboard.services import dashboard_snapshot_save

    grow_portfolio(department, head, chair, members, 2)
    live = exec_client.get(reverse("admin:index")).context
    dashboard_snapshot_save()
    factories.UseCaseFactory(department=department)  # after the snapshot: not counted yet

    with CaptureQueriesContext(connection) as queries:
        response = exec_client.get(reverse("admin:index"))

    context = response.context
    assert context["snapshot_at"] is not None
    assert "as of" in response.content.decode()
    for key in ("funnel", "money", "latency", "origins", "kill_rate", "templates"):
        assert context[key] == live[key], key
    assert context["overrun"]["total"] == live["overrun"]["total"]
    # The snapshot replaces about ten aggregate queries with one.
    assert len(queries) < dashboard_queries(exec_client) + 1
    assert context["funnel"][0]["reached"] == live["funnel"][0]["reached"]


def test_a_duration_row_without_a_position_breaks_neither_the_dashboard_nor_the_pack(
    exec_client, department, head
):
    """A scope can hold duration rows outside any sequence (no position): the velocity
    figures skip them instead of answering 500 (found by the fuzzer on the portfolio pack)."""
    from portfolio.models import VelocitySnapshot

    use_case = submitted(department, head)
    VelocitySnapshot.objects.create(
        scope=f"department:{department.pk}",
        measure="to_scale",
        use_case=use_case,
        department=department,
        position=None,
        value=12,
    )

    assert exec_client.get(reverse("admin:index")).status_code == 200
    pack = exec_client.get(reverse("reports-api:portfolio-pack"))
    assert pack.status_code == 200 and pack.content.startswith(b"%PDF")


def test_a_snapshot_kept_in_english_is_read_in_the_readers_language(department, head):
    """The job keeps the figures with English labels (the site's language); a French reader
    sees the stage and origin names from locale/fr: Draft -> Brouillon, "Bottom-up (the team
    proposed it)" -> "Ascendante (proposée par l'équipe)", shown up to its bracket."""
    from django.utils import translation

    from console.dashboard.selectors import dashboard
    from console.dashboard.services import dashboard_snapshot_save

    submitted(department, head)
    with translation.override("en-gb"):
        dashboard_snapshot_save()
    with translation.override("fr"):
        figures = dashboard()
        funnel = {row["stage"]: str(row["label"]) for row in figures["funnel"]}
        origins = {row["origin"]: str(row["label"]) for row in figures["origins"]}
    assert figures["snapshot_at"] is not None
    assert funnel["draft"] == "Brouillon"
    assert origins == {"bottom_up": "Ascendante", "top_down": "Descendante"}
