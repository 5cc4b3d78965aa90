"""The forecast and its back-test on every interface: API, use case page, intake before
submission, the dashboard and the admin, with figures worked out by hand on the history of
tests/portfolio/test_forecast.py."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import ForecastSnapshot
from portfolio.selectors_forecast import back_test_figures, reuse_dividend
from portfolio.services.forecast import forecasts_refresh
from tests import factories
from tests.support.forecast import day

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_back_test_figures_match_the_hand_computation(history, department):
    # Claims intake, completed with a forecast at submission: E (forecast 415/12 = 34.5833,
    # [28.6667, 37], actual 4 days: error 30.5833, outside) and F (forecast 15, [13.5, 17.5],
    # actual 42 days (20 January to 3 March): error 27, outside). MAE = 57.5833 / 2 =
    # 28.79; coverage 0/2. Nobody else had a forecast at submission (nothing had completed
    # before A-D, P-R were submitted), and no completed pilot had one (A-C were submitted
    # before the first pilot ended).
    rows = {(r.scope, r.measure): r for r in back_test_figures()}
    claims = rows[(f"department:{department.pk}", "intake")]
    assert (claims.count, claims.mean_absolute_error, claims.covered) == (2, Decimal("28.79"), 0)
    assert claims.coverage == Decimal("0")
    portfolio = rows[("portfolio", "intake")]
    assert (portfolio.count, portfolio.mean_absolute_error) == (2, Decimal("28.79"))
    assert (f"department:{department.pk}", "pilot") not in rows


def test_a_forecast_inside_its_interval_counts_as_covered(history, department):
    # Move E's actual onto its interval's upper end (37 days): inside. Errors 2.4167 and 27:
    # MAE 14.7083 -> 14.71; coverage 1/2.
    ForecastSnapshot.objects.filter(use_case=history["E"], measure="intake").update(
        actual_days=Decimal("37")
    )
    rows = {(r.scope, r.measure): r for r in back_test_figures(department_id=department.pk)}
    claims = rows[(f"department:{department.pk}", "intake")]
    assert (claims.mean_absolute_error, claims.covered, claims.coverage) == (
        Decimal("14.71"),
        1,
        Decimal("0.5000"),
    )


def test_api_lists_forecasts_and_the_back_test(history, department, head):
    client = api_as(head)
    response = client.get("/api/forecasts/", {"use_case_id": history["E"].pk, "measure": "intake"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["basis"], row["n"], row["days"], row["low"], row["high"]) == (
        "department",
        4,
        "34.5833",
        "28.6667",
        "37.0000",
    )
    assert row["actual_days"] == "4.0000"
    nxt = client.get("/api/forecasts/", {"next": "true", "department_id": department.pk})
    assert {r["measure"] for r in nxt.json()["results"]} == {"intake", "pilot", "to_scale"}
    back = client.get("/api/forecasts/back-test/")
    assert back.status_code == 200
    claims = next(
        r for r in back.json() if r["department_id"] == department.pk and r["measure"] == "intake"
    )
    assert (claims["count"], claims["mean_absolute_error"], claims["covered"]) == (2, "28.79", 0)
    assert client.get("/api/forecasts/back-test/", {"department_id": "x"}).status_code == 400


def test_api_query_counts_do_not_grow_with_use_cases(
    history,
    department,
    head,
    django_assert_max_num_queries,
):
    client = api_as(head)
    with django_assert_max_num_queries(8):
        assert client.get("/api/forecasts/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/forecasts/back-test/").status_code == 200
    for i in range(5):
        factories.submitted(department, head, title=f"More {i}", at=day(2026, 3, 2 + i))
    forecasts_refresh(at=day(2026, 3, 10))
    with django_assert_max_num_queries(8):
        assert client.get("/api/forecasts/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/api/forecasts/back-test/").status_code == 200


def test_use_case_page_shows_the_forecast_with_its_dates(client, history, head):
    client.force_login(head)
    body = client.get(reverse("use-case-detail", args=[history["E"].pk])).content.decode()
    assert 'id="forecast"' in body
    # Submitted 1 March; to scale 27.5 days, [27.5, 33.5] -> 28 days, 80% between 28 and 34.
    assert "reaches scale in 28 days, 80% between 28 and 34 (basis: department, n = 3)" in body
    # Pilot start: 1 March + 34.5833 days = 4 April (2026-04-04), between 29 March and 7 April.
    assert "pilot start 2026-04-04" in body
    assert "2026-03-29 to 2026-04-07" in body
    # Scale: 1 March + 27.5 days = 28 March 12:00.
    assert "scale 2026-03-28" in body


def test_intake_shows_the_forecast_before_submission(client, history, head, department):
    client.force_login(head)
    body = client.get(reverse("use-case-new")).content.decode()
    assert f"Forecast for a use case like this in {department.name}" in body
    row = ForecastSnapshot.objects.get(
        scope=f"department:{department.pk}", measure="to_scale", use_case=None
    )
    assert (
        f"A use case like this in {department.name} reaches scale in {row.days:.0f} days, "
        f"80% between {row.low:.0f} and {row.high:.0f}"
    ) in body


def test_dashboard_and_admin_show_the_back_test_with_links(client, history, executive, admin_user):
    client.force_login(executive)
    body = client.get(reverse("admin:index")).content.decode()
    assert 'id="back-test"' in body
    assert "28.8 days" in body
    assert "outcome=outside" in body
    client.force_login(admin_user)
    listing = client.get(
        reverse("admin:portfolio_forecastsnapshot_changelist"), {"outcome": "outside"}
    )
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 2


def test_reuse_dividend_per_template_department_and_portfolio(department, head):
    template = factories.UseCaseFactory(department=department, title="Claims triage")
    helped = factories.UseCaseFactory(
        department=department, template=template, expected_benefit_yearly=Decimal("36500")
    )
    hurt = factories.UseCaseFactory(department=department, template=template)
    type(hurt).objects.filter(pk=hurt.pk).update(expected_benefit_yearly=None)
    for use_case, forecast, actual in ((helped, "40", "30"), (hurt, "20", "25")):
        ForecastSnapshot.objects.create(
            scope=f"department:{department.pk}",
            measure="to_scale",
            use_case=use_case,
            department=department,
            basis="department",
            n=3,
            days=Decimal(forecast),
            low=Decimal(forecast),
            high=Decimal(forecast),
            actual_days=Decimal(actual),
        )
    # helped: 40 - 30 = 10 days brought forward x 100 a day (36,500 / 365) = 1,000.
    # hurt: 20 - 25 = -5 days, no benefit estimate: days only.
    # Template: 10 - 5 = 5 days, 1,000 in value, 1 use case with no estimate.
    dividend = reuse_dividend()
    (row,) = dividend["templates"]
    assert (row["template"], row["use_cases"], row["days"], row["value"], row["no_estimate"]) == (
        "Claims triage",
        2,
        Decimal("5.00"),
        Decimal("1000.00"),
        1,
    )
    assert dividend["departments"][0]["value"] == Decimal("1000.00")
    assert dividend["portfolio"]["days"] == Decimal("5.00")


def test_reuse_dividend_through_the_api(head):
    response = api_as(head).get("/api/forecasts/reuse-dividend/")
    assert response.status_code == 200
    assert response.json() == {"templates": [], "departments": [], "portfolio": None}
