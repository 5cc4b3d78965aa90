"""Reviews judged by the default criteria, versions kept, snapshots frozen, queries constant."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import ConflictError
from gates import selectors, services
from gates.choices import Recommendation
from gates.models import CriteriaSet, EvidenceSnapshot
from portfolio.choices import State
from portfolio.models import Metric, TransitionRecord, UseCase
from tests import factories
from tests.support.gates import T0, in_pilot, pass_gate, ready_for_g1, submitted

pytestmark = pytest.mark.usefixtures("default_criteria")


def recommendation(use_case, at=T0):
    review = services.review_open(use_case=use_case, at=at)
    return review, review.snapshots.get()


def outcomes(snapshot):
    return {row["label"]: row["outcome"] for row in snapshot.rows}


def test_a_complete_intake_passes_g0(department, head):
    _, snapshot = recommendation(submitted(department, head))

    assert snapshot.recommendation == Recommendation.GO
    assert set(outcomes(snapshot).values()) == {"pass"}
    assert snapshot.score == 100


def test_an_unacceptable_risk_cannot_even_be_submitted(department, head):
    # Art. 5 of Regulation (EU) 2024/1689: a prohibited practice is refused at submission,
    # so it never reaches G0 (tests/compliance/test_hard_stops.py pins every way in).
    with pytest.raises(ConflictError) as refused:
        submitted(department, head, risk_prohibited_practice=True)

    assert refused.value.code == "prohibited_practice"


def test_a_high_risk_use_case_must_document_human_oversight(department, head):
    _, snapshot = recommendation(submitted(department, head, risk_annex_iii_area=True))
    assert outcomes(snapshot)["Human oversight documented when high risk"] == "fail"

    _, snapshot = recommendation(
        submitted(
            department, head, risk_annex_iii_area=True, human_oversight="Every denial is checked."
        )
    )
    assert outcomes(snapshot)["Human oversight documented when high risk"] == "pass"
    # No role under the AI Act recorded yet: compliance's G0 must-meet has no evidence.
    assert snapshot.recommendation == Recommendation.INSUFFICIENT_EVIDENCE


def test_a_resilient_use_case_must_name_scenarios_and_warning_signs(department, head):
    use_case = submitted(department, head, horizon="long", knowledge="hypotheses")

    review, snapshot = recommendation(use_case)

    assert review.criteria_set.playbook == "resilient"
    assert outcomes(snapshot)["Scenarios and warning signs named"] == "fail"
    assert snapshot.recommendation == Recommendation.NO_GO


def test_a_pilot_within_its_box_with_lift_and_final_artifacts_passes_g1(department, head):
    use_case = in_pilot(department, head)
    ready_for_g1(use_case, head)  # 9 -> 6.5 toward 4 is exactly half-way

    _, snapshot = recommendation(use_case)

    assert outcomes(snapshot) == {
        "Pilot within its time box": "pass",
        "Lift at least half-way to target": "pass",
        "Projected ROI at least 1": "pass",
        "Scale memo final": "pass",
        "Integration plan final": "pass",
        "Readings at least every 14 days": "pass",
        # Added by compliance (gates.registry): no obligations recorded, none open.
        "No open obligation due before go-live": "pass",
    }
    lift = next(r for r in snapshot.rows if r["measurable"] == "lift")
    assert lift["value"] == 0.5
    assert lift["sources"][0]["value"] == 6.5


def test_a_pilot_past_its_box_fails_g1(department, head):
    use_case = in_pilot(department, head, entered=T0 - dt.timedelta(days=91))
    ready_for_g1(use_case, head)

    _, snapshot = recommendation(use_case)

    assert outcomes(snapshot)["Pilot within its time box"] == "fail"
    assert snapshot.recommendation == Recommendation.NO_GO


def test_a_discovery_pilot_is_held_to_ninety_days(department, head):
    use_case = in_pilot(
        department, head, entered=T0 - dt.timedelta(days=90), knowledge="hypotheses"
    )
    ready_for_g1(use_case, head)

    review, snapshot = recommendation(use_case)

    assert review.criteria_set.playbook == "discovery"
    assert outcomes(snapshot)["Pilot within the 90-day Discovery box"] == "pass"


def test_without_readings_a_pilot_review_is_insufficient_evidence(department, head):
    use_case = in_pilot(department, head)

    _, snapshot = recommendation(use_case)

    assert snapshot.recommendation in {Recommendation.NO_GO, Recommendation.INSUFFICIENT_EVIDENCE}
    assert outcomes(snapshot)["Lift at least half-way to target"] == "no_data"


def test_readings_after_the_review_moment_are_not_evidence(department, head):
    use_case = in_pilot(department, head)
    ready_for_g1(use_case, head, reached=8)
    factories.ReadingFactory(
        metric=Metric.objects.get(use_case=use_case, kind="business"),
        value=4,
        measured_at=T0 + dt.timedelta(days=1),
    )

    _, snapshot = recommendation(use_case)

    assert outcomes(snapshot)["Lift at least half-way to target"] == "fail"


def test_re_evaluation_adds_a_snapshot_and_keeps_the_first(department, head):
    use_case = in_pilot(department, head)
    review, first = recommendation(use_case)
    ready_for_g1(use_case, head)

    second = services.review_evaluate(review=review, actor=head, at=T0 + dt.timedelta(hours=2))

    assert EvidenceSnapshot.objects.filter(review=review).count() == 2
    assert EvidenceSnapshot.objects.get(pk=first.pk).rows == first.rows
    assert second.recommendation == Recommendation.GO
    assert selectors.snapshot_latest(review=review) == second


def test_re_evaluation_by_another_departments_head_is_forbidden(department, head, other_head):
    review, _ = recommendation(submitted(department, head))

    with pytest.raises(PermissionDenied):
        services.review_evaluate(review=review, actor=other_head)


def test_revising_criteria_makes_a_new_version_and_reviews_keep_theirs(department, head):
    review, _ = recommendation(submitted(department, head))
    g0 = CriteriaSet.objects.get(gate="G0", playbook="", is_current=True)

    revised = services.criteria_set_revise(criteria_set=g0, pass_mark=Decimal("80"), notes="Up.")

    assert (revised.version, revised.is_current, revised.supersedes) == (g0.version + 1, True, g0)
    assert revised.criteria.count() == g0.criteria.count()
    g0.refresh_from_db()
    assert not g0.is_current
    services.review_evaluate(review=review)
    assert {s.criteria_set_id for s in review.snapshots.all()} == {g0.pk}
    assert selectors.criteria_set_current(gate="G0", playbook="go_now") == revised


def test_a_between_criterion_needs_an_upper_bound():
    g0 = CriteriaSet.objects.get(gate="G0", playbook="", is_current=True)

    with pytest.raises(ValidationError):
        services.criteria_set_revise(
            criteria_set=g0,
            criteria=[
                {
                    "label": "Band",
                    "measurable": "payback_months",
                    "comparator": "between",
                    "threshold": 1,
                    "kind": "must",
                }
            ],
        )


def test_a_decided_review_is_not_re_evaluated(department, head):
    review, _ = recommendation(submitted(department, head))
    services.review_mark_decided(review=review, at=T0)

    with pytest.raises(ConflictError):
        services.review_evaluate(review=review)
    with pytest.raises(ConflictError):
        services.review_mark_decided(review=review, at=T0)


def test_loading_defaults_twice_changes_nothing():
    count = CriteriaSet.objects.count()

    assert services.criteria_defaults_load() == []
    # 7 shipped sets, the 3 G1 versions compliance's migration 0003 adds (its criterion) and
    # the 2 G0 versions its migration 0007 adds (the duties due before first use).
    assert CriteriaSet.objects.count() == count == 12


def test_days_in_pilot_stop_at_scale(department, head):
    use_case = in_pilot(department, head, entered=T0 - dt.timedelta(days=50))
    ready_for_g1(use_case, head)
    pass_gate(use_case, head, T0 - dt.timedelta(days=10))

    evidence = selectors.evidence_load(use_case_id=use_case.pk, at=T0)

    assert (evidence.pilot_left_at - evidence.pilot_entered_at).days == 40
    assert UseCase.objects.get(pk=use_case.pk).state == State.SCALE
    assert TransitionRecord.objects.filter(use_case=use_case).count() == 3


@pytest.mark.parametrize("size", [1, 12])
def test_evaluating_costs_a_constant_number_of_queries(
    department, head, size, django_assert_max_num_queries
):
    use_case = in_pilot(department, head)
    metric = Metric.objects.get(use_case=use_case, kind="business")
    for i in range(size):
        extra = factories.MetricFactory(use_case=use_case, name=f"Extra {i}")
        for day in range(size):
            factories.ReadingFactory(metric=extra, measured_at=T0 - dt.timedelta(days=day + 1))
            factories.ReadingFactory(metric=metric, measured_at=T0 - dt.timedelta(days=day + 1))
    review = services.review_open(use_case=use_case, at=T0)
    g1 = review.criteria_set
    criteria = [
        {
            "label": f"Latest {i}",
            "measurable": "metric_latest",
            "comparator": "at_most",
            "threshold": 100,
            "kind": "should",
        }
        for i in range(size * 3)
    ]
    services.criteria_set_revise(criteria_set=g1, criteria=criteria)
    review.criteria_set = CriteriaSet.objects.get(gate="G1", playbook="", is_current=True)
    review.save(update_fields=["criteria_set"])

    # 11 for the evidence and the snapshot, 6 for the stall diagnostic behind "red lines"
    # (with the sign-off steps), 2 for each of the two measurables compliance registers (open
    # duties, role recorded), 1 for each of the two components registers (linked model
    # metric, vendor assessment), 2 for governance's sign-off criterion (the use case, the
    # steps) and 1 for the questionnaires' answers (none here, so no questions to fetch).
    with django_assert_max_num_queries(26):
        snapshot = services.review_evaluate(review=review, at=T0)

    assert len(snapshot.rows) == size * 3
