"""Board packs: the review pack and the monthly portfolio pack carry the pages' own figures,
and only those who may read them download them (web and API)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from console.dashboard.services import dashboard_snapshot_save
from portfolio.models import FigureSnapshot
from portfolio.models.velocity import Flag, FlagKind
from signin.services import api_token_create
from tests import factories
from tests.support.console import decided, open_review
from tests.support.packs import pdf_text

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.replace("&nbsp;", " "))


def test_review_pack_carries_the_review_pages_scorecard_votes_and_decision(
    client, department, head, chair, members
):
    review = decided(department, head, chair, members, verdict="go")
    client.force_login(chair)
    page = client.get(reverse("review-detail", args=[review.pk]))
    pack = pdf_text(client.get(reverse("review-pack", args=[review.pk])))

    card = page.context["snapshot"]
    assert card.rows
    from reports.scorecard import rows_of

    for row in rows_of(card):
        # Each criterion's measured value and threshold, as the page shows them.
        assert f"{row.measured}" in page_text(page)
        assert row.measured in pack and row.threshold.split()[-1] in pack
    score = f"score {card.score:.0f}% against a pass mark of {card.pass_mark:.0f}%"
    assert score in page_text(page) and score in pack
    decision = page.context["decision"]
    votes = f"{decision.votes_for_verdict} of {decision.votes_cast} votes cast for it"
    assert votes in page_text(page) and votes in pack
    assert "The board weighed the evidence." in pack
    assert "Flywheel board pack · printed" in pack
    for user in (chair, *members):
        assert (user.get_full_name() or user.username) in pack


def test_portfolio_pack_figures_equal_the_dashboards(client, department, head, chair, members):
    for verdict in ("go", "go", "no_go"):
        decided(department, head, chair, members, verdict=verdict)
    flagged = factories.submitted(department, head, build_cost=123456)
    Flag.objects.create(use_case=flagged, kind=FlagKind.STALE_METRICS, reason="No reading.")
    executive = factories.executive(username="the-exec")
    client.force_login(executive)
    dashboard = client.get(reverse("admin:index"))
    month = timezone.localdate().strftime("%Y-%m")
    pack = pdf_text(client.get(reverse("portfolio-pack-month", args=[month])))
    assert f"Portfolio pack · {month}" in pack and "(this month, live)" in pack
    # Each page's footer names the pack it belongs to.
    assert "Flywheel portfolio pack · printed" in pack
    assert "board pack" not in pack.lower()
    page = page_text(dashboard)
    for row in dashboard.context["funnel"]:
        line = f"{row['label']} {row['reached']} {row['now']}"
        assert line in pack, line
        assert line in page
    for row in dashboard.context["money"]:
        # Money with the currency and thousands separators, the same on both.
        for key in ("cost", "expected", "realised"):
            shown = f"EUR {row[key]:,.0f}"
            assert shown in page and shown in pack, shown
    flags = {row["label"]: row["count"] for row in dashboard.context["flags"]}
    assert flags[FlagKind.STALE_METRICS.label] == 1
    assert f"{FlagKind.STALE_METRICS.label} 1" in pack


def test_review_pack_is_for_the_board_the_departments_head_and_executives(
    client, department, head, other_head, chair, members
):
    review = open_review(department, head, hours_ago=2)
    url = reverse("review-pack", args=[review.pk])
    for user, status in (
        (head, 200),
        (chair, 200),
        (factories.executive(username="exec-2"), 200),
        (other_head, 403),
        (factories.UserFactory(), 403),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.logout()
    assert client.get(url).status_code == 302


def token_for(user) -> str:
    return api_token_create(user=user, name="packs")[1]


def test_packs_through_the_api_with_a_token(client, department, head, other_head, chair, members):
    review = decided(department, head, chair, members)
    url = reverse("reports-api:review-pack", args=[review.pk])
    key = token_for(head)
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    refused = client.get(url, HTTP_AUTHORIZATION=f"Token {token_for(other_head)}")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    portfolio = reverse("reports-api:portfolio-pack")
    executive = token_for(factories.executive(username="exec-3"))
    as_executive = {"HTTP_AUTHORIZATION": f"Token {executive}"}
    bad = client.get(portfolio, {"month": "2026-13"}, **as_executive)
    assert bad.status_code == 400 and list(bad.json()["fields"]) == ["month"]
    good = client.get(portfolio, **as_executive)
    assert good.status_code == 200 and good.content.startswith(b"%PDF")
    assert (
        client.get(
            reverse("reports-api:portfolio-pack"), HTTP_AUTHORIZATION=f"Token {key}"
        ).status_code
        == 403
    )


def at_utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def shown_funnel(page) -> list[str]:
    return [f"{row['label']} {row['reached']} {row['now']}" for row in page.context["funnel"]]


def test_a_past_months_pack_shows_the_figures_the_page_showed_at_its_end(
    client, department, other_department, head, other_head, chair, members
):
    """The snapshot job's last run in a month keeps that month's figures; its pack prints
    them later, equal to what the dashboard showed then, whatever happened since (fixed
    clock: runs in October and November 2025)."""
    executive = factories.executive(username="month-exec")
    client.force_login(executive)
    decided(department, head, chair, members, verdict="go")
    dashboard_snapshot_save(at=at_utc(2025, 10, 15, 9, 0))  # an earlier run in October
    factories.submitted(department, head, build_cost=123456)
    dashboard_snapshot_save(at=at_utc(2025, 10, 31, 23, 50))  # October's last run
    october_page = client.get(reverse("admin:index"))
    october_money = [
        f"EUR {row[key]:,.0f}"
        for row in october_page.context["money"]
        for key in ("cost", "expected", "realised")
    ]
    # November: another department submits; its figures are November's, not October's.
    factories.submitted(other_department, other_head, build_cost=777777)
    dashboard_snapshot_save(at=at_utc(2025, 11, 1, 0, 5))
    november_page = client.get(reverse("admin:index"))

    kept = FigureSnapshot.objects.get(key="pack:2025-10")
    assert kept.computed_at == at_utc(2025, 10, 31, 23, 50)
    assert [
        {key: row[key] for key in ("stage", "reached", "now")} for row in kept.figures["funnel"]
    ] == [
        {key: row[key] for key in ("stage", "reached", "now")}
        for row in october_page.context["funnel"]
    ]
    october = pdf_text(client.get(reverse("portfolio-pack-month", args=["2025-10"])))
    assert "Portfolio pack · 2025-10" in october
    assert "as they stood at the end of 2025-10" in october and "2025-10-31 23:50" in october
    for line in shown_funnel(october_page):
        assert line in october, line
    # By hand: two submitted (one went to pilot); cost (100,000 + 20,000) + (123,456 + 20,000).
    assert "Submitted 2 1 100% Pilot 1 1 50%" in october
    assert f"{department.name} 2 EUR 263,456 EUR 480,000" in october
    for shown in october_money:
        assert shown in october, shown
    assert "EUR 777,777" not in october and other_department.name not in october

    # The dashboard links the months with a pack.
    for month in ("2025-10", "2025-11"):
        assert reverse("portfolio-pack-month", args=[month]) in november_page.content.decode()
    november = FigureSnapshot.objects.get(key="pack:2025-11").figures
    assert [row["reached"] for row in november["funnel"]] == [
        row["reached"] for row in november_page.context["funnel"]
    ]
    assert november["funnel"][1]["reached"] == 3 and len(november["money"]) == 2


def test_a_month_without_kept_figures_is_404_and_one_not_begun_400_on_the_web_and_the_api(
    client, department, head
):
    executive = factories.executive(username="month-exec-2")
    factories.submitted(department, head)
    dashboard_snapshot_save(at=at_utc(2025, 10, 31, 23, 50))
    today = timezone.localdate()
    this_month = today.strftime("%Y-%m")
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    api = reverse("reports-api:portfolio-pack")
    as_executive = {"HTTP_AUTHORIZATION": f"Token {token_for(executive)}"}

    missing = client.get(api, {"month": "2025-09"}, **as_executive)
    assert missing.status_code == 404 and missing.json()["code"] == "pack_not_kept"
    message = missing.json()["message"]
    assert message.startswith("No portfolio figures were kept for 2025-09")
    assert "2025-10" in message

    future = client.get(api, {"month": next_month}, **as_executive)
    assert future.status_code == 400 and list(future.json()["fields"]) == ["month"]
    assert "has not begun" in future.json()["fields"]["month"][0]

    client.force_login(executive)
    page = client.get(reverse("portfolio-pack-month", args=["2025-09"]))
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert "No portfolio figures were kept for 2025-09" in page_text(page)
    assert 'id="refusal"' in page.content.decode()
    page = client.get(reverse("portfolio-pack-month", args=[next_month]))
    assert page.status_code == 400 and f"{next_month} has not begun" in page_text(page)
    assert f"this month ({this_month}, live)" in page_text(page)
    assert client.get(reverse("portfolio-pack-month", args=["2025-13"])).status_code == 400
