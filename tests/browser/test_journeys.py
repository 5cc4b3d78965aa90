"""The three journeys of issue 6 in a real browser, with a screenshot of every page."""

import datetime as dt

import pytest
from django.utils import timezone

from gates import services as gate_services
from governance import services as governance_services
from portfolio.choices import State
from portfolio.models import UseCase
from portfolio.models.velocity import Flag, FlagKind
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.factories import submitted
from tests.support.browser import log_in
from tests.support.console import decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio(department, head):
    """A small portfolio: a board, decided use cases, a flagged one, velocity computed."""
    gate_services.criteria_defaults_load()
    _, seats = factories.board_with(3, name="Portfolio board")
    chair, *members = (seat.user for seat in seats)
    for days in (40, 20, 5):
        decided(department, head, chair, members, at=timezone.now() - dt.timedelta(days=days))
    flagged = submitted(department, head, origin="top_down")
    Flag.objects.create(use_case=flagged, kind=FlagKind.STALE_METRICS, reason="No reading.")
    factories.UseCaseFactory(department=department, title="A draft")
    velocity_recompute()
    return {"chair": chair, "members": members}


def chart_marks(page, chart: str) -> int:
    """How many drawn marks (bars, points, slices) a chart holds."""
    svg = page.locator(f'[data-chart="{chart}"] svg')
    svg.wait_for()
    return svg.locator("rect, circle").count()


def test_executive_sees_charts_and_follows_a_figure_to_its_list(page, shot, executive, portfolio):
    log_in(page, executive.username, path="/admin/login/")
    assert page.locator("h1", has_text="Portfolio dashboard").is_visible()
    for chart in ("funnel", "money", "velocity", "latency", "flags", "origins", "reuse"):
        assert chart_marks(page, chart) > 0, chart
    shot(page, "01-executive-dashboard")

    # Click the "Pilot" bar of the funnel where a person would: the bar is a link.
    bar = page.locator('[data-chart="funnel"] svg a rect').nth(2).bounding_box()
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.wait_for_url("**/admin/portfolio/usecase/?reached=*")
    assert page.locator("#result_list tbody tr").count() == 3
    shot(page, "02-executive-funnel-list")

    page.locator("#result_list a", has_text="timeline, gates, votes").first.click()
    page.locator("#timeline").wait_for()
    assert page.locator("[data-chart^=metric-] svg title").count() > 0
    shot(page, "03-executive-use-case")


def test_department_head_submits_through_the_form_fixing_an_error(page, shot, head, department):
    sponsor = factories.executive(username="sponsor", first_name="Sam", last_name="Sponsor")
    factories.UserFactory(username="owner", first_name="Olive", last_name="Owner")
    factories.UserFactory(username="exec")  # the demo's logins are shown once it is loaded
    page.goto("/")
    assert page.locator("text=flywheel-demo").is_visible()
    shot(page, "00-home")
    log_in(page, head.username)
    page.click("text=My department")
    shot(page, "04-head-my-department")
    page.click("text=Submit a new use case")

    page.fill("#id_title", "Claims triage assistant")
    page.select_option("#id_department", str(department.pk))
    page.select_option("#id_origin", "bottom_up")
    page.select_option("#id_outcome_owner", label="Olive Owner (owner)")
    page.select_option("#id_owner_controls_resources", "yes")
    page.fill("#id_data_assumed", "Five years of labelled claims.")
    page.fill("#id_data_existing", "Three years in the warehouse.")
    page.fill("#id_build_cost", "100000")
    page.fill("#id_run_cost_yearly", "20000")
    page.fill("#id_expected_benefit_yearly", "240000")
    page.fill("#id_autonomy_share", "40")
    page.fill("#id_execution_budget_share", "30")
    page.select_option("#id_sponsor", str(sponsor.pk))
    page.fill("#id_operator_team", "Claims operations")
    page.fill("#id_success_definition", "Triage within a day, no more complaints.")
    page.select_option("#id_horizon", "short")
    page.select_option("#id_knowledge", "facts")
    for question in ("prohibited_practice", "annex_iii_area", "safety_component"):
        page.select_option(f"#id_risk_{question}", "false")
    page.select_option("#id_risk_transparency_duty", "true")
    page.fill("#id_metrics-0-name", "Triage time")
    page.fill("#id_metrics-0-unit", "days")
    page.select_option("#id_metrics-0-direction", "lower")
    page.fill("#id_metrics-0-baseline", "9")
    page.fill("#id_metrics-0-target", "1")
    # The problem statement is left out: the form must say so next to the field.
    page.click("button[name=submit]")

    error = page.locator("#error-problem_statement")
    error.wait_for()
    assert "Describe the problem" in error.inner_text()
    shot(page, "05-head-intake-error")
    assert not UseCase.objects.exists()

    page.fill("#id_problem_statement", "Claims wait nine days for triage.")
    page.click("button[name=submit]")
    page.locator("h1", has_text="Claims triage assistant").wait_for()
    assert "Submitted" in page.locator("h1 .state").inner_text()
    shot(page, "06-head-use-case-submitted")
    assert UseCase.objects.get(title="Claims triage assistant").state == State.SUBMITTED

    page.click("text=My department")
    page.click("text=velocity and flags")
    page.locator(".fw-chart svg.fw-chart-svg").first.wait_for()
    shot(page, "06b-head-department-velocity")


def test_board_member_votes_closes_and_the_use_case_advances(page, shot, head, department):
    gate_services.criteria_defaults_load()
    _, seats = factories.board_with(3, name="Portfolio board")
    chair, *members = (seat.user for seat in seats)
    use_case = submitted(department, head, title="Fraud screening")
    review = governance_services.review_request(
        use_case=use_case, actor=head, at=timezone.now() - dt.timedelta(hours=30)
    )
    for member in members:
        governance_services.vote_cast(review=review, actor=member, choice="go", comment="Agreed.")

    log_in(page, chair.username)
    page.click("text=Review queue")
    assert page.locator("td.num", has_text="30").count() >= 1
    shot(page, "07-board-review-queue")
    page.click("text=Fraud screening")
    page.locator("table.scorecard").wait_for()
    shot(page, "08-board-review")

    page.check("#vote-form input[value=go]")
    page.fill("#vote-form textarea[name=comment]", "The pilot case is made.")
    page.click("#vote-form button[type=submit]")
    page.locator("text=Your vote is recorded.").wait_for()
    assert page.locator("#quorum", has_text="quorum reached").is_visible()

    page.fill("#close-form textarea[name=rationale]", "Unanimous.")
    page.click("#close-form button[type=submit]")
    page.locator(".messages", has_text="is now Pilot").wait_for()
    shot(page, "09-board-decided")
    assert UseCase.objects.get(pk=use_case.pk).state == State.PILOT
