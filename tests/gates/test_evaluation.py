"""The evaluation engine: a scorecard table at, just under and just over each threshold,
and properties that hold for any values (hypothesis)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gates.choices import Outcome, Recommendation
from gates.evaluation import CriterionSpec, evaluate, judge

EPS = 1e-6


def must(key, comparator, threshold, high=None):
    return CriterionSpec(
        key=key,
        label=key,
        measurable="lift",
        comparator=comparator,
        threshold=threshold,
        threshold_high=high,
        must_meet=True,
    )


def should(key, comparator, threshold, weight=1.0, high=None):
    return CriterionSpec(
        key=key,
        label=key,
        measurable="lift",
        comparator=comparator,
        threshold=threshold,
        threshold_high=high,
        must_meet=False,
        weight=weight,
    )


# The defaults' thresholds: at least 1 (ROI, flags), at least 0.5 (lift), at least 2
# (realised ROI), at most 24 (payback), at most 14 (reading gap), at most 1 (time box),
# at most 90 (Discovery box), at most 0 (unpaired metrics), and a between band.
TABLE = [
    ("at_least", 1.0, None, 1.0, Outcome.PASS),
    ("at_least", 1.0, None, 1.0 - EPS, Outcome.FAIL),
    ("at_least", 1.0, None, 1.0 + EPS, Outcome.PASS),
    ("at_least", 0.5, None, 0.5, Outcome.PASS),
    ("at_least", 0.5, None, 0.5 - EPS, Outcome.FAIL),
    ("at_least", 0.5, None, 0.5 + EPS, Outcome.PASS),
    ("at_least", 2.0, None, 2.0, Outcome.PASS),
    ("at_least", 2.0, None, 2.0 - EPS, Outcome.FAIL),
    ("at_least", 2.0, None, 2.0 + EPS, Outcome.PASS),
    ("at_most", 24.0, None, 24.0, Outcome.PASS),
    ("at_most", 24.0, None, 24.0 - EPS, Outcome.PASS),
    ("at_most", 24.0, None, 24.0 + EPS, Outcome.FAIL),
    ("at_most", 14.0, None, 14.0, Outcome.PASS),
    ("at_most", 14.0, None, 14.0 - EPS, Outcome.PASS),
    ("at_most", 14.0, None, 14.0 + EPS, Outcome.FAIL),
    ("at_most", 1.0, None, 1.0, Outcome.PASS),
    ("at_most", 1.0, None, 1.0 + EPS, Outcome.FAIL),
    ("at_most", 90.0, None, 90.0, Outcome.PASS),
    ("at_most", 90.0, None, 90.0 + EPS, Outcome.FAIL),
    ("at_most", 0.0, None, 0.0, Outcome.PASS),
    ("at_most", 0.0, None, 1.0, Outcome.FAIL),
    ("between", 10.0, 20.0, 10.0, Outcome.PASS),
    ("between", 10.0, 20.0, 10.0 - EPS, Outcome.FAIL),
    ("between", 10.0, 20.0, 10.0 + EPS, Outcome.PASS),
    ("between", 10.0, 20.0, 20.0, Outcome.PASS),
    ("between", 10.0, 20.0, 20.0 - EPS, Outcome.PASS),
    ("between", 10.0, 20.0, 20.0 + EPS, Outcome.FAIL),
    ("at_least", 1.0, None, None, Outcome.NO_DATA),
    ("at_most", 1.0, None, float("nan"), Outcome.NO_DATA),
]


@pytest.mark.parametrize(("comparator", "low", "high", "value", "outcome"), TABLE)
def test_scorecard_row_at_under_and_over_the_threshold(comparator, low, high, value, outcome):
    card = evaluate([must("c", comparator, low, high)], {"c": value})

    assert card.rows[0].outcome == outcome
    expected = {
        Outcome.PASS: Recommendation.GO,
        Outcome.FAIL: Recommendation.NO_GO,
        Outcome.NO_DATA: Recommendation.INSUFFICIENT_EVIDENCE,
    }[outcome]
    assert card.recommendation == expected


def test_weighted_score_and_contributions():
    criteria = [should("a", "at_least", 1, 3), should("b", "at_least", 1, 1)]

    card = evaluate(criteria, {"a": 2, "b": 0}, pass_mark=70)

    assert [r.contribution for r in card.rows] == [75.0, 0.0]
    assert card.score == 75.0
    assert card.recommendation == Recommendation.GO


def test_score_exactly_at_the_pass_mark_passes_and_just_under_fails():
    criteria = [should(str(i), "at_least", 1) for i in range(10)]
    seven = {str(i): 1 if i < 7 else 0 for i in range(10)}
    six = {str(i): 1 if i < 6 else 0 for i in range(10)}

    assert evaluate(criteria, seven, pass_mark=70).recommendation == Recommendation.GO
    assert evaluate(criteria, six, pass_mark=70).recommendation == Recommendation.NO_GO


def test_a_failed_must_meet_is_no_go_even_with_missing_data():
    card = evaluate([must("a", "at_least", 1), should("b", "at_least", 1)], {"a": 0, "b": None})

    assert card.recommendation == Recommendation.NO_GO


def test_missing_should_meet_data_is_insufficient_evidence():
    card = evaluate([must("a", "at_least", 1), should("b", "at_least", 1)], {"a": 1})

    assert card.recommendation == Recommendation.INSUFFICIENT_EVIDENCE


def test_infinity_is_kept_readable_in_the_frozen_rows():
    card = evaluate([must("a", "at_least", 1)], {"a": float("inf")})

    assert card.recommendation == Recommendation.GO
    assert card.as_rows()[0]["value"] == "inf"


def test_an_unknown_comparator_is_a_programming_error():
    with pytest.raises(ValueError):
        judge("roughly", 1.0, 1.0, None)


# --- properties -----------------------------------------------------------------------------

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
anything = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
)
weights = st.floats(min_value=0, max_value=1e308, allow_nan=False)
comparators = st.sampled_from(["at_least", "at_most", "between"])


@st.composite
def criteria_and_values(draw, comparator=comparators, value=anything):
    count = draw(st.integers(min_value=1, max_value=8))
    criteria, values = [], {}
    for i in range(count):
        low = draw(finite)
        high = low + abs(draw(finite))
        kind = draw(st.booleans())
        criteria.append(
            CriterionSpec(
                key=str(i),
                label=str(i),
                measurable="lift",
                comparator=draw(comparator),
                threshold=low,
                threshold_high=high,
                must_meet=kind,
                weight=draw(weights),
            )
        )
        values[str(i)] = draw(value)
    return criteria, values


@given(criteria_and_values(), st.floats(min_value=0, max_value=100))
def test_any_values_give_a_verdict_never_an_exception(case, pass_mark):
    criteria, values = case

    card = evaluate(criteria, values, pass_mark=pass_mark)

    assert card.recommendation in Recommendation.values
    assert 0 <= card.score <= 100
    assert not math.isnan(card.score)


@given(
    criteria_and_values(comparator=st.just("at_least"), value=finite),
    st.integers(min_value=0, max_value=7),
    st.floats(min_value=0, max_value=1e12),
    st.floats(min_value=0, max_value=100),
)
def test_raising_a_higher_is_better_value_never_turns_go_into_no_go(case, index, rise, mark):
    criteria, values = case
    key = str(index % len(criteria))
    before = evaluate(criteria, values, pass_mark=mark)
    raised = {**values, key: values[key] + rise}

    after = evaluate(criteria, raised, pass_mark=mark)

    if before.recommendation == Recommendation.GO:
        assert after.recommendation == Recommendation.GO


@given(criteria_and_values(), st.integers(min_value=0, max_value=7), st.floats(0, 100))
def test_a_missing_must_meet_value_never_yields_go(case, index, mark):
    criteria, values = case
    key = str(index % len(criteria))
    criteria = [
        CriterionSpec(**{**c.__dict__, "must_meet": True}) if c.key == key else c for c in criteria
    ]

    card = evaluate(criteria, {**values, key: None}, pass_mark=mark)

    assert card.recommendation != Recommendation.GO


@given(finite, comparators, finite)
def test_a_value_at_the_threshold_follows_the_comparator_exactly(threshold, comparator, width):
    high = threshold + abs(width)

    assert judge(comparator, threshold, threshold, high) == Outcome.PASS
    if comparator == "between":
        assert judge(comparator, high, threshold, high) == Outcome.PASS
