"""Board packs: the review pack and the monthly portfolio pack carry the pages' own figures,
and only those who may read them download them (web and API)."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from portfolio.models.velocity import Flag, FlagKind
from signin.services import api_token_create
from tests import factories
from tests.console.conftest import decided
from tests.console.test_board_pages import open_review

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


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
    pack = pdf_text(client.get(reverse("portfolio-pack-month", args=["2026-11"])))
    assert "Portfolio pack · 2026-11" in pack
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
    good = client.get(portfolio, {"month": "2026-03"}, **as_executive)
    assert good.status_code == 200 and good.content.startswith(b"%PDF")
    assert (
        client.get(
            reverse("reports-api:portfolio-pack"), HTTP_AUTHORIZATION=f"Token {key}"
        ).status_code
        == 403
    )
