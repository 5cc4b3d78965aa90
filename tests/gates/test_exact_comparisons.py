"""Exact comparisons: a criterion compares the exact value with its threshold, and only a
page rounds (with the digits that make the outcome visible)."""

import datetime as dt
from decimal import Decimal

import pytest

from gates import services as gate_services
from gates.choices import Outcome, Recommendation
from gates.defaults import criterion
from gates.evaluation import CriterionSpec, evaluate
from gates.models import EvidenceSnapshot
from governance import services as governance
from portfolio import economics
from portfolio.display import figure
from tests import factories
from tests.support.piloting import T0, client_for

# ROI 996 / (1000 + 0) = 0.996; payback 1202 x 12 / (1200 - 0) = 12.02 months.
JUST_UNDER = {"build_cost": Decimal(1000), "run_cost_yearly": Decimal(0)}


def test_roi_and_payback_are_exact_not_rounded():
    roi = economics.roi(benefit_yearly=996, build_cost=1000, run_cost_yearly=0)
    payback = economics.payback_months(benefit_yearly=1200, build_cost=1202, run_cost_yearly=0)

    assert roi == Decimal("0.996")
    assert payback == Decimal("12.02")


@pytest.mark.parametrize(
    ("comparator", "threshold", "value", "outcome"),
    [
        ("at_least", Decimal("1.0"), Decimal("0.996"), Outcome.FAIL),
        ("at_least", Decimal("1.0"), Decimal("1.0"), Outcome.PASS),
        ("at_least", Decimal("1.0"), Decimal("1.004"), Outcome.PASS),
        ("at_most", Decimal("12"), Decimal("12.02"), Outcome.FAIL),
        ("at_most", Decimal("12"), Decimal("12"), Outcome.PASS),
        ("at_most", Decimal("12"), Decimal("11.98"), Outcome.PASS),
        # One unit of the stored precision (0.0001) either side.
        ("at_least", Decimal("1.0"), Decimal("0.9999"), Outcome.FAIL),
        ("at_most", Decimal("12"), Decimal("12.0001"), Outcome.FAIL),
    ],
)
def test_the_engine_compares_exactly(comparator, threshold, value, outcome):
    spec = CriterionSpec(
        key="c",
        label="c",
        measurable="expected_roi",
        comparator=comparator,
        threshold=threshold,
        must_meet=True,
    )

    card = evaluate([spec], {"c": value})

    assert card.rows[0].outcome == outcome
    assert card.rows[0].value == value


def test_a_float_value_is_taken_as_written_not_as_its_binary_neighbour():
    spec = CriterionSpec(
        key="c", label="c", measurable="lift", comparator="at_most", threshold=0.3, must_meet=True
    )

    # 0.1 + 0.2 is 0.30000000000000004 in binary: written down, it is over 0.3.
    assert evaluate([spec], {"c": 0.1 + 0.2}).rows[0].outcome == Outcome.FAIL
    assert evaluate([spec], {"c": 0.3}).rows[0].outcome == Outcome.PASS


def test_all_of_three_equal_weights_is_exactly_the_full_score():
    specs = [
        CriterionSpec(
            key=str(i),
            label=str(i),
            measurable="lift",
            comparator="at_least",
            threshold=1,
            must_meet=False,
        )
        for i in range(3)
    ]

    card = evaluate(specs, {"0": 1, "1": 1, "2": 1}, pass_mark=Decimal(100))

    assert card.score == Decimal(100)
    assert card.recommendation == Recommendation.GO


@pytest.mark.parametrize(
    ("value", "threshold", "places", "shown"),
    [
        (Decimal("0.996"), Decimal("1"), 2, "0.996"),
        (Decimal("1.004"), Decimal("1"), 2, "1.004"),
        (Decimal("12.02"), Decimal("12"), 1, "12.02"),
        (Decimal("11.96"), Decimal("12"), 1, "11.96"),
        (Decimal("1.5"), Decimal("1"), 2, "1.50"),
        (Decimal("1"), Decimal("1"), 2, "1.00"),
        (Decimal("0.999999999"), Decimal("1"), 2, "<1"),
        (Decimal("Infinity"), Decimal("24"), 1, "∞"),
        (None, Decimal("1"), 2, ""),
    ],
)
def test_display_keeps_the_digits_that_show_the_side_of_the_threshold(
    value, threshold, places, shown
):
    assert figure(value, threshold, places=places) == shown


@pytest.fixture
def strict_g0(default_criteria):
    """A G0 criteria version with the two thresholds as must-meet criteria (current)."""
    return gate_services.criteria_set_create(
        gate="G0",
        playbook="",
        criteria=[
            criterion("ROI at least 1", "expected_roi", "at_least", "1.0"),
            criterion("Payback at most 12 months", "payback_months", "at_most", "12"),
        ],
        name="Strict money",
    )


def judged(department, head, board, **money):
    from portfolio import services

    use_case = factories.UseCaseFactory(department=department, **money)
    services.use_case_submit(use_case=use_case, actor=head, at=T0 - dt.timedelta(days=1))
    review = governance.review_request(use_case=use_case, actor=head, at=T0)
    snapshot = EvidenceSnapshot.objects.filter(review=review).latest()
    return review, {row["label"]: row for row in snapshot.rows}


def test_roi_just_under_one_fails_at_the_gate_and_the_page_shows_why(
    department, head, board, strict_g0, client, executive
):
    review, rows = judged(
        department, head, board, expected_benefit_yearly=Decimal(996), **JUST_UNDER
    )

    roi = rows["ROI at least 1"]
    assert (roi["outcome"], roi["value_exact"]) == ("fail", "0.996")
    assert review.snapshots.get().recommendation == Recommendation.NO_GO
    # The scorecard through the API, the board's page and the admin's use case page.
    scorecard = client_for(board[1][0].user).get(f"/api/reviews/{review.pk}/scorecard/").json()
    api_row = next(r for r in scorecard["snapshot"]["rows"] if r["label"] == "ROI at least 1")
    assert (api_row["outcome"], api_row["value_exact"]) == ("fail", "0.996")
    client.force_login(board[1][0].user)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "0.996" in page
    client.force_login(executive)
    admin_page = client.get(f"/admin/flywheel/use-cases/{review.use_case_id}/")
    assert admin_page.status_code == 200
    assert "0.996" in admin_page.content.decode()


def test_roi_exactly_one_passes(department, head, board, strict_g0):
    _review, rows = judged(
        department, head, board, expected_benefit_yearly=Decimal(1000), **JUST_UNDER
    )

    assert rows["ROI at least 1"]["outcome"] == "pass"


def test_payback_just_over_twelve_months_fails(department, head, board, strict_g0):
    _review, rows = judged(
        department,
        head,
        board,
        build_cost=Decimal(1202),
        run_cost_yearly=Decimal(0),
        expected_benefit_yearly=Decimal(1200),
    )

    payback = rows["Payback at most 12 months"]
    assert (payback["outcome"], payback["value_exact"]) == ("fail", "12.02")


def test_payback_exactly_twelve_months_passes(department, head, board, strict_g0):
    _review, rows = judged(
        department,
        head,
        board,
        build_cost=Decimal(1200),
        run_cost_yearly=Decimal(0),
        expected_benefit_yearly=Decimal(1200),
    )

    assert rows["Payback at most 12 months"]["outcome"] == "pass"


def test_the_use_case_page_and_admin_show_roi_with_its_deciding_digit(
    department, head, client, admin_user
):
    use_case = factories.UseCaseFactory(
        department=department, expected_benefit_yearly=Decimal(996), **JUST_UNDER
    )

    client.force_login(head)
    page = client.get(f"/use-cases/{use_case.pk}/").content.decode()
    client.force_login(admin_user)
    change = client.get(f"/admin/portfolio/usecase/{use_case.pk}/change/").content.decode()
    api = client_for(head).get(f"/api/use-cases/{use_case.pk}/").json()

    assert "ROI 0.996" in page
    assert "0.996" in change
    assert Decimal(api["expected_roi"]) == Decimal("0.996")


@pytest.mark.parametrize(
    ("measurable", "value", "threshold", "shown"),
    [
        ("expected_roi", "0.996", "1", "0.996\N{MULTIPLICATION SIGN}"),
        ("expected_roi", "1.5", "1", "1.5\N{MULTIPLICATION SIGN}"),
        ("payback_months", "12.02", "12", "12.02 months"),
        ("payback_months", "Infinity", "12", "never"),
        ("target_attainment", "0.996", "1", "99.6%"),
        ("target_attainment", "0.5", "1", "50%"),
    ],
)
def test_the_scorecard_in_words_keeps_the_deciding_digit(measurable, value, threshold, shown):
    from reports.scorecard import measured_text

    assert measured_text(measurable, value, Decimal(threshold)) == shown
