"""Every role's main pages in Chromium: no serious or critical axe violation, no sideways
scrolling at 390 px (a phone) or 1440 px (a laptop), and the JavaScript each page loads
under its budget.

JavaScript budget (bytes transferred, compressed, a first visit): 8 KB on every page, charts
or not. Pages need at most the intake's row script (about 1 KB gzipped) and the admin's own
small scripts; charts are SVG drawn on the server (core/charts.py) and load no script (the
plotly.js bundle they loaded before was 395 KB gzipped).
"""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from gates import services as gate_services
from gates.models import CriteriaSet
from governance import services as governance_services
from portfolio.models.velocity import Flag, FlagKind
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.factories import submitted
from tests.support.browser import log_in
from tests.support.console import decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_CHARTS_JS = CHARTS_JS = 8_000
WIDTHS = (390, 1440)
AXE = Axe()


@pytest.fixture
def world(department, head, other_department, other_head):
    gate_services.criteria_defaults_load()
    _, seats = factories.board_with(3, name="Portfolio board")
    chair, *members = (seat.user for seat in seats)
    decided_review = None
    for days in (40, 20, 5):
        decided_review = decided(
            department, head, chair, members, at=timezone.now() - dt.timedelta(days=days)
        )
    flagged = submitted(department, head, origin="top_down", title="Fraud screening")
    Flag.objects.create(use_case=flagged, kind=FlagKind.STALE_METRICS, reason="No reading.")
    open_review = governance_services.review_request(
        use_case=flagged, actor=head, at=timezone.now() - dt.timedelta(hours=30)
    )
    draft = factories.UseCaseFactory(department=department, title="A draft")
    submitted(other_department, other_head, title="Marketing copy helper")
    velocity_recompute()
    return {
        "chair": chair,
        "decided": decided_review,
        "open": open_review,
        "draft": draft,
        "flagged": flagged,
        "department": department,
    }


def js_bytes(page) -> int:
    return page.evaluate(
        """performance.getEntriesByType('resource')
             .filter(e => e.initiatorType === 'script')
             .reduce((sum, e) => sum + e.transferSize, 0)"""
    )


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def serious(page) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def check(browser_page, shot, name: str, path: str, *, charts: bool, budget=True) -> dict:
    figures = {}
    for width in WIDTHS:
        browser_page.set_viewport_size({"width": width, "height": 900})
        browser_page.goto(path)
        # The admin's widgets (autocompletes, filter boxes) draw themselves after load.
        browser_page.wait_for_load_state("load" if budget else "networkidle")
        if charts:
            browser_page.locator(".fw-chart svg.fw-chart-svg").first.wait_for()
        assert overflow(browser_page) <= 0, f"{name} scrolls sideways at {width} px"
        assert serious(browser_page) == [], f"{name} at {width} px"
        figures[width] = js_bytes(browser_page)
        shot(browser_page, f"q-{name}-{width}")
    if budget:
        limit = CHARTS_JS if charts else NO_CHARTS_JS
        assert figures[1440] <= limit, f"{name}: {figures[1440]} bytes of JavaScript"
    return figures


def fresh(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(60000)
    return context, page


def test_anonymous_pages(chromium, live_server, shot, world):
    context, page = fresh(chromium, live_server)
    check(page, shot, "home", "/", charts=False)
    check(page, shot, "login", "/accounts/login/", charts=False)
    check(page, shot, "not-found", "/no-such-page/", charts=False)
    context.close()


def test_department_head_pages(chromium, live_server, shot, world, head):
    context, page = fresh(chromium, live_server)
    log_in(page, head.username)
    check(page, shot, "head-my-department", "/department/", charts=False)
    check(page, shot, "head-browse", "/use-cases/", charts=False)
    check(page, shot, "head-intake", "/use-cases/new/", charts=False)
    check(page, shot, "head-draft", f"/use-cases/{world['draft'].pk}/", charts=False)
    check(page, shot, "head-use-case", f"/use-cases/{world['decided'].use_case_id}/", charts=True)
    check(page, shot, "head-review", f"/reviews/{world['decided'].pk}/", charts=False)
    check(
        page,
        shot,
        "head-velocity",
        f"/departments/{world['department'].pk}/velocity/",
        charts=True,
    )
    check(page, shot, "head-refused", "/reviews/", charts=False)
    check(page, shot, "head-inbox", "/inbox/", charts=False)
    check(page, shot, "head-preferences", "/inbox/preferences/", charts=False)
    context.close()


def test_intake_rows_are_added_removed_and_paired_in_the_browser(
    chromium, live_server, shot, world, head
):
    context, page = fresh(chromium, live_server)
    log_in(page, head.username)
    page.goto("/use-cases/new/")
    page.fill("#id_metrics-0-name", "Triage time")
    page.click("text=Add a metric")
    page.click("text=Add a metric")
    assert page.input_value("input[name=metrics-TOTAL_FORMS]") == "4"
    page.select_option("#id_metrics-3-kind", "technical")
    options = page.locator("#id_metrics-3-pairs_with option").all_inner_texts()
    assert "Triage time" in options
    page.locator("[data-formset=metrics] [data-row]").nth(2).locator("[data-remove]").click()
    assert page.is_checked("#id_metrics-2-DELETE")
    assert page.locator("[data-formset=metrics] [data-row]:not([hidden])").count() == 3
    shot(page, "q-head-intake-rows")
    context.close()


def test_board_member_pages(chromium, live_server, shot, world):
    context, page = fresh(chromium, live_server)
    log_in(page, world["chair"].username)
    check(page, shot, "board-queue", "/reviews/", charts=False)
    check(page, shot, "board-review-open", f"/reviews/{world['open'].pk}/", charts=False)
    check(page, shot, "board-review-decided", f"/reviews/{world['decided'].pk}/", charts=False)
    check(page, shot, "board-inbox", "/inbox/", charts=False)
    context.close()


def test_executive_pages(chromium, live_server, shot, world, executive):
    context, page = fresh(chromium, live_server)
    log_in(page, executive.username, path="/admin/login/")
    check(page, shot, "exec-dashboard", "/admin/", charts=True)
    check(
        page,
        shot,
        "exec-use-case",
        f"/admin/flywheel/use-cases/{world['decided'].use_case_id}/",
        charts=True,
    )
    check(page, shot, "exec-review", f"/reviews/{world['decided'].pk}/", charts=False)
    check(page, shot, "exec-use-case-list", "/admin/portfolio/usecase/", charts=False)
    context.close()


# --- What a newcomer tripped on (issue 29) ---------------------------------------------------

# Titles as a spreadsheet import brings them: a long sentence, and a long token with no space.
LONG_TITLES = (
    "Automated first notice of loss intake for motor, property and liability claims "
    "across every channel, with fraud signals, coverage checks and routing to the right "
    "handler before the customer hangs up",
    "Claims_document_classification_and_routing_for_the_motor_book_version_two_final_final",
)
LONG_METRIC = "Average handling time of motor claims from first notice of loss to settlement"


def columns_out_of_view(page) -> list[str]:
    """Each list's header cells whose right edge lies beyond the list's visible box."""
    return page.evaluate(
        """[...document.querySelectorAll('table')].flatMap(table => {
             const box = (table.closest('.table-scroll, .results') || table.parentElement)
               .getBoundingClientRect();
             return [...table.querySelectorAll('thead th')]
               .filter(th => th.getBoundingClientRect().right > box.right + 1)
               .map(th => th.textContent.trim());
           })"""
    )


def test_a_lists_columns_stay_in_view_whatever_the_titles(chromium, live_server, shot, world, head):
    for title in LONG_TITLES:
        submitted(world["department"], head, title=title)
    context, page = fresh(chromium, live_server)
    log_in(page, head.username)
    for path in ("/department/", "/use-cases/"):
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(path)
        assert columns_out_of_view(page) == [], f"{path} at 1440 px"
        shot(page, f"q-long-titles{path.replace('/', '-')}1440")
    check(page, shot, "head-long-titles", "/department/", charts=False)
    context.close()


def test_the_reading_correction_fits_a_phone(chromium, live_server, shot, world, head):
    use_case = world["flagged"]
    metric = use_case.metrics.get(kind="business")
    metric.name = LONG_METRIC
    metric.save(update_fields=["name"])
    factories.ReadingFactory(metric=metric, value=123456.7)
    context, page = fresh(chromium, live_server)
    log_in(page, head.username)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/use-cases/{use_case.pk}/")
    assert page.locator("#reading-correction select").count() == 1
    check(page, shot, "head-correction-390", f"/use-cases/{use_case.pk}/", charts=False)
    context.close()


def test_the_messages_list_passes_axe(chromium, live_server, shot, world, head):
    context, page = fresh(chromium, live_server)
    log_in(page, head.username)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/inbox/preferences/")
        page.locator("main form [type=submit]").first.click()
        page.wait_for_load_state("load")
        assert page.locator(".messages li").count() >= 1
        assert serious(page) == [], f"messages at {width} px"
    shot(page, "q-messages")
    context.close()


def test_administrator_pages(chromium, live_server, shot, world, admin_user):
    from inventory.services import import_job_create, import_job_start

    header = "Title,Department,Outcome owner,Build cost (EUR),Expected yearly benefit (EUR)"
    row = f"{LONG_TITLES[1]},{world['department'].name},nobody,1000,2000"
    job = import_job_create(
        actor=admin_user, content=f"{header}\n{row}\n".encode(), filename="inventory.csv"
    )
    import_job_start(job=job, apply=False, actor=admin_user)
    context, page = fresh(chromium, live_server)
    log_in(page, admin_user.username, path="/admin/login/")
    board = factories.board_with(2, name="Claims board")[0]
    pages = {
        # Django's widgets: an autocomplete (template), a tabular inline that scrolls on a
        # phone (criteria), the filter boxes (a board's departments), a split date and time
        # and the list's search box (people).
        "admin-use-case": f"/admin/portfolio/usecase/{world['flagged'].pk}/change/",
        "admin-criteria-set": f"/admin/gates/criteriaset/{CriteriaSet.objects.first().pk}/change/",
        "admin-board": f"/admin/governance/board/{board.pk}/change/",
        "admin-person": f"/admin/auth/user/{admin_user.pk}/change/",
        "admin-people": "/admin/auth/user/?q=a",
        "admin-departments": "/admin/portfolio/department/",
        "admin-criteria": "/admin/gates/criteriaset/",
        "admin-import-upload": "/admin/inventory/importjob/add/",
        "admin-import-report": f"/admin/inventory/importjob/{job.pk}/change/",
        "admin-use-cases": "/admin/portfolio/usecase/",
    }
    for name, path in pages.items():
        check(page, shot, name, path, charts=False, budget=False)
    context.close()
