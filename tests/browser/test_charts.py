"""The charts in Chromium: server-drawn SVG on the dashboard, the department velocity page
and a board's page; each has its title, description and data table; its bars and points are
links that open the list behind them; axe finds nothing serious or critical with every data
table open, at 1440 and 390 px; and no page with charts loads a script for them."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from gates import services as gate_services
from governance import services as governance_services
from portfolio.models.velocity import Flag, FlagKind, VelocitySnapshot, department_scope
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("funnel", "money", "velocity", "latency", "flags", "origins", "reuse")
AXE = Axe()


def decide(department, head, board, at):
    _, seats = board
    use_case = factories.submitted(department, head, at=at - dt.timedelta(days=2))
    factories.ReadingFactory(metric=use_case.metrics.first(), measured_at=at)
    review = governance_services.review_request(use_case=use_case, actor=head, at=at)
    for seat in seats:
        governance_services.vote_cast(
            review=review, actor=seat.user, choice="go", comment="Holds.", at=at
        )
    governance_services.review_close(
        review=review, actor=seats[0].user, rationale="Weighed.", at=at + dt.timedelta(hours=20)
    )
    return use_case


@pytest.fixture
def portfolio(department, head):
    """Three use cases decided into pilot, one submitted and flagged, velocity computed."""
    gate_services.criteria_defaults_load()
    board = factories.board_with(3, name="Portfolio board")
    pilots = [
        decide(department, head, board, timezone.now() - dt.timedelta(days=days))
        for days in (40, 20, 5)
    ]
    flagged = factories.submitted(department, head, origin="top_down")
    Flag.objects.create(use_case=flagged, kind=FlagKind.STALE_METRICS, reason="No reading.")
    velocity_recompute()
    return {"board": board[0], "pilots": pilots}


def sign_in(page, username: str, path: str) -> None:
    page.set_default_timeout(90_000)  # the shared machine can be slow; no figure is timed
    log_in(page, username, path=path)


def serious_with_tables_open(page) -> list[str]:
    page.evaluate("document.querySelectorAll('details.fw-chart-data').forEach(d => d.open = true)")
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def chart_scripts(page) -> int:
    return page.evaluate(
        """performance.getEntriesByType('resource')
             .filter(e => e.initiatorType === 'script').length"""
    )


def mark_links(page, chart: str) -> list[str]:
    return page.eval_on_selector_all(
        f'[data-chart="{chart}"] svg a', "links => links.map(a => a.getAttribute('href'))"
    )


def table_links(page, chart: str) -> list[str]:
    return page.eval_on_selector_all(
        f'[data-chart="{chart}"] details a', "links => links.map(a => a.getAttribute('href'))"
    )


def test_the_dashboard_draws_every_chart_accessibly_with_no_script(page, executive, portfolio):
    sign_in(page, executive.username, "/admin/login/")
    page.goto("/admin/")
    for chart in CHARTS:
        figure = page.locator(f'[data-chart="{chart}"]')
        assert figure.locator("svg > title").text_content().strip(), chart
        assert figure.locator("svg > desc").text_content().strip(), chart
        assert figure.locator("svg rect, svg circle").count() > 0, chart
        assert figure.locator("details table tbody tr").count() > 0, chart
    assert page.locator("script[src*=plotly]").count() == 0
    assert chart_scripts(page) <= 2  # the admin's own small scripts, none for charts
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert serious_with_tables_open(page) == [], width


def test_every_mark_links_where_its_table_row_does_and_each_list_answers(
    page, executive, portfolio
):
    sign_in(page, executive.username, "/admin/login/")
    page.goto("/admin/")
    linked = ("funnel", "money", "velocity", "latency", "flags", "origins", "reuse")
    hrefs = set()
    for chart in linked:
        marks = mark_links(page, chart)
        assert marks, chart
        assert set(marks) == set(table_links(page, chart)), chart
        hrefs.update(marks)
    for href in sorted(hrefs):
        assert page.request.get(href.replace("&amp;", "&")).status == 200, href


def test_clicking_a_bar_or_a_point_opens_the_list_behind_it(page, executive, portfolio):
    sign_in(page, executive.username, "/admin/login/")
    page.goto("/admin/")
    # The funnel's third bar is the pilot stage: the three decided use cases reached it.
    page.locator('[data-chart="funnel"] svg a rect').nth(2).click()
    page.wait_for_url(re.compile(r"/admin/portfolio/usecase/\?.*reached=pilot"))
    assert page.locator("#result_list tbody tr").count() == 3

    page.go_back()
    flags = page.locator('[data-chart="flags"]')
    counted = int(flags.locator('details a[href*="flag=stale_metrics"]').text_content())
    assert counted >= 1
    flags.locator('svg a[href*="flag=stale_metrics"] rect').click()
    page.wait_for_url(re.compile(r"flag=stale_metrics"))
    assert page.locator("#result_list tbody tr").count() == counted

    page.go_back()
    page.locator('[data-chart="velocity"] svg a circle').first.click()
    page.wait_for_url(re.compile(r"/admin/flywheel/use-cases/\d+/$"))


def test_department_velocity_and_board_pages_draw_their_charts(
    page, executive, department, portfolio
):
    # The page shows time to scale; none of the pilots has scaled, so one duration is stored
    # as the velocity job would store it.
    VelocitySnapshot.objects.create(
        scope=department_scope(department.pk),
        measure="to_scale",
        use_case=portfolio["pilots"][0],
        department=department,
        position=1,
        value=30,
        label="first",
    )
    sign_in(page, executive.username, "/accounts/login/")
    page.goto(f"/departments/{department.pk}/velocity/")
    points = page.locator('[data-chart="velocity"] svg a circle')
    assert points.count() > 0
    href = page.locator('[data-chart="velocity"] svg a').first.get_attribute("href")
    assert href == f"/use-cases/{portfolio['pilots'][0].pk}/"
    assert serious_with_tables_open(page) == []

    page.goto(f"/boards/{portfolio['board'].pk}/")
    budget = page.locator('[data-chart="budget"]')
    assert "error budget over time" in budget.locator("svg > title").text_content()
    assert budget.locator("svg polyline").count() > 0
    assert serious_with_tables_open(page) == []
