"""The evaluation rules pinned one unit either side, each found unpinned by mutation testing
(`make mutation`): a should-meet weight of 0, a value given as text, the bounds of each
comparator, the pass mark itself, and what a missing or odd weight counts for."""

from decimal import Decimal

import pytest

from gates.choices import Comparator, Outcome, Recommendation
from gates.evaluation import CriterionSpec, clean, evaluate, judge

AT_LEAST, AT_MOST, BETWEEN = Comparator.AT_LEAST, Comparator.AT_MOST, Comparator.BETWEEN


def should(key: str, weight, threshold=10, comparator=AT_LEAST, high=None) -> CriterionSpec:
    return CriterionSpec(
        key=key,
        label=key,
        measurable="metric",
        comparator=comparator,
        threshold=threshold,
        threshold_high=high,
        must_meet=False,
        weight=weight,
    )


def must(key: str, threshold=10) -> CriterionSpec:
    return CriterionSpec(
        key=key,
        label=key,
        measurable="metric",
        comparator=AT_LEAST,
        threshold=threshold,
        must_meet=True,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.5", Decimal("12.5")), (" 7 ", Decimal(7)), ("0.996", Decimal("0.996"))],
)
def test_a_metric_decimal_given_as_text_is_read_exactly(text, expected):
    assert clean(text) == expected
    assert judge(AT_LEAST, text, expected, None) == Outcome.PASS
    assert judge(AT_LEAST, text, expected + Decimal("0.001"), None) == Outcome.FAIL


@pytest.mark.parametrize("odd", ["twelve", "", "NaN", None, object()])
def test_a_value_that_is_no_number_is_no_data(odd):
    assert clean(odd) is None
    assert judge(AT_LEAST, odd, 1, None) == Outcome.NO_DATA


def test_a_float_is_its_shortest_repr_and_an_int_itself():
    assert clean(0.996) == Decimal("0.996")
    assert clean(3) == Decimal(3)
    assert clean(Decimal("2.50")) == Decimal("2.50")
    assert clean(float("inf")) == Decimal("Infinity")


@pytest.mark.parametrize(
    ("comparator", "value", "outcome"),
    [
        (AT_LEAST, "9.99", Outcome.FAIL),
        (AT_LEAST, "10", Outcome.PASS),
        (AT_MOST, "10", Outcome.PASS),
        (AT_MOST, "10.01", Outcome.FAIL),
        (BETWEEN, "9.99", Outcome.FAIL),
        (BETWEEN, "10", Outcome.PASS),
        (BETWEEN, "20", Outcome.PASS),
        (BETWEEN, "20.01", Outcome.FAIL),
    ],
)
def test_each_comparator_one_unit_either_side_of_its_bounds(comparator, value, outcome):
    assert judge(comparator, value, 10, 20) == outcome


def test_between_without_an_upper_bound_fails_and_an_unknown_comparator_is_refused():
    assert judge(BETWEEN, 15, 10, None) == Outcome.FAIL
    with pytest.raises(ValueError, match="unknown comparator 'about'"):
        judge("about", 15, 10, None)


def test_a_should_meet_weight_of_zero_counts_for_nothing():
    # a (weight 0) fails, b (weight 1) passes: the score is 1 / (0 + 1) = 100%, a GO.
    card = evaluate([should("a", 0), should("b", 1)], {"a": 1, "b": 11})
    assert card.score == Decimal("100.00")
    assert card.recommendation == Recommendation.GO
    rows = {row.key: row for row in card.rows}
    assert rows["a"].weight == Decimal(0)
    assert rows["a"].contribution == Decimal(0)
    assert rows["b"].contribution == Decimal(100)


@pytest.mark.parametrize("weight", [0, -1, "heavy", None, float("inf"), float("nan")])
def test_a_missing_negative_or_odd_weight_counts_for_nothing(weight):
    # b (weight 3) fails, a (the odd weight) passes: 0 / 3 = 0%, a NO-GO.
    card = evaluate([should("a", weight), should("b", 3)], {"a": 11, "b": 1})
    assert card.score == Decimal("0.00")
    assert card.recommendation == Recommendation.NO_GO


def test_a_tiny_positive_weight_still_counts():
    # a (0.5) passes, b (1.5) fails: 0.5 / 2 = 25%.
    card = evaluate([should("a", "0.5"), should("b", "1.5")], {"a": 11, "b": 1})
    assert card.score == Decimal("25.00")
    rows = {row.key: row for row in card.rows}
    assert rows["a"].contribution == Decimal(25)
    assert rows["b"].contribution == Decimal(0)


def test_only_zero_weights_give_a_full_score_when_nothing_is_weighed():
    card = evaluate([should("a", 0)], {"a": 1})
    assert card.score == Decimal("100.00")
    assert card.rows[0].contribution == Decimal(0)
    # Passing with nothing weighed contributes nothing either.
    passing = evaluate([should("a", 0)], {"a": 11})
    assert passing.rows[0].contribution == Decimal(0)
    assert (passing.rows[0].label, passing.rows[0].measurable) == ("a", "metric")


def test_the_pass_mark_itself_is_a_go_and_one_hundredth_below_it_a_no_go():
    # Three weights of 1, two pass: 2 / 3 = 66.67% (to the hundredth).
    criteria = [should("a", 1), should("b", 1), should("c", 1)]
    values = {"a": 11, "b": 11, "c": 1}
    at_mark = evaluate(criteria, values, pass_mark=Decimal("66.66"))
    above = evaluate(criteria, values, pass_mark=Decimal("66.67"))
    assert at_mark.score == Decimal("66.67")
    assert at_mark.recommendation == Recommendation.GO
    assert above.recommendation == Recommendation.NO_GO
    assert evaluate(criteria, values).pass_mark == Decimal(70)
    assert evaluate(criteria, values).recommendation == Recommendation.NO_GO


def test_a_pass_mark_that_is_no_number_is_zero():
    card = evaluate([should("a", 1)], {"a": 1}, pass_mark="none")
    assert card.pass_mark == Decimal(0)
    assert card.recommendation == Recommendation.GO


def test_a_failed_must_meet_is_no_go_even_with_data_missing_and_full_score():
    card = evaluate([must("m"), should("a", 1), should("b", 1)], {"m": 9, "a": 11})
    assert card.recommendation == Recommendation.NO_GO
    missing = evaluate([must("m"), should("a", 1), should("b", 1)], {"m": 10, "a": 11})
    assert missing.recommendation == Recommendation.INSUFFICIENT_EVIDENCE
    rows = {row.key: row for row in missing.rows}
    assert rows["m"].contribution is None
    assert rows["b"].outcome == Outcome.NO_DATA


def test_sources_are_kept_per_criterion_and_thresholds_are_exact():
    card = evaluate(
        [should("a", 1, threshold="10.5", comparator=BETWEEN, high="12")],
        {"a": "11"},
        sources={"a": [7, 8]},
    )
    (row,) = card.rows
    assert row.sources == (7, 8)
    assert (row.threshold, row.threshold_high, row.value) == (
        Decimal("10.5"),
        Decimal("12"),
        Decimal("11"),
    )
    assert row.outcome == Outcome.PASS
