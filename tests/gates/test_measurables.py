"""The measurables: small pure functions over loaded evidence (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from gates import evidence as evidence_sources
from gates import measurables as m
from gates.choices import Measurable

AT = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def reading(i, value, days_ago):
    return m.Reading(i, value, AT - dt.timedelta(days=days_ago))


def metric(name="Cycle time", kind="business", direction="lower", baseline=9, target=4, **kw):
    return m.MetricEvidence(
        id=kw.pop("id", 1),
        name=name,
        kind=kind,
        direction=direction,
        baseline=baseline,
        target=target,
        paired_with_id=kw.pop("paired_with_id", None),
        readings=tuple(kw.pop("readings", ())),
    )


def evidence(*metrics, **fields):
    use_case = {
        "build_cost": 100,
        "run_cost_yearly": 20,
        "expected_benefit_yearly": 240,
        "realised_benefit_yearly": None,
        "pilot_time_box_days": 90,
        **fields.pop("use_case", {}),
    }
    return m.Evidence(at=AT, use_case=use_case, metrics=tuple(metrics), **fields)


def test_every_measurable_of_the_catalogue_has_a_function():
    assert set(m.CATALOGUE) == set(Measurable.values)


def test_lift_follows_the_direction_of_the_goalposts():
    lower = metric(readings=[reading(1, 9, 20), reading(2, 6.5, 1)])
    higher = metric(direction="higher", baseline=10, target=20, readings=[reading(3, 25, 1)])

    assert m.lift(evidence(lower)).value == 0.5
    assert m.lift(evidence(higher)).value == 1.5
    assert m.lift(evidence(metric())).value is None


def test_lift_of_a_named_metric():
    named = metric(name="Cost", id=2, baseline=0, target=10, readings=[reading(9, 2, 1)])

    assert m.lift(evidence(metric(), named), metric_name="cost").value == 0.2
    assert m.lift(evidence(metric()), metric_name="Unknown").value is None


def test_target_attainment_counts_unread_metrics_as_not_met():
    met = metric(readings=[reading(1, 4, 1)])
    unread = metric(id=2, name="Other")

    assert m.target_attainment(evidence(met, unread)).value == 0.5
    assert m.target_attainment(evidence(unread)).value is None


def test_median_days_between_readings():
    read = metric(readings=[reading(1, 8, 30), reading(2, 7, 23), reading(3, 6, 2)])

    assert m.median_reading_gap(evidence(read)).value == 14.0
    assert m.median_reading_gap(evidence(metric(readings=[reading(1, 1, 1)]))).value is None


def test_adoption_reads_the_adoption_metric():
    adoption = metric(name="Agent adoption", kind="technical", id=5, readings=[reading(1, 63, 1)])

    assert m.adoption(evidence(metric(), adoption)).value == 63
    assert m.adoption(evidence(metric())).value is None


def test_artifact_status_scores_missing_draft_final():
    assert m.artifact_status(evidence(), artifact_kind="scale_memo").value == 0
    drafted = evidence(artifacts={"scale_memo": "draft"})
    assert m.artifact_status(drafted, artifact_kind="scale_memo").value == 0.5
    final = evidence(artifacts={"scale_memo": "final"})
    assert m.artifact_status(final, artifact_kind="scale_memo").value == 1


def test_roi_and_payback_come_from_the_intake():
    assert m.expected_roi(evidence()).value == 2.0
    assert m.realised_roi(evidence()).value is None
    # 100 build over (240 - 20) / 12 net a month: 1200 / 220 months, exactly, not 5.5.
    assert m.payback_months(evidence()).value == Decimal(1200) / Decimal(220)


def test_a_use_case_that_never_pays_back_fails_payback_rather_than_lacking_data():
    never = evidence(use_case={"expected_benefit_yearly": 15})
    missing = evidence(use_case={"build_cost": None})

    assert m.payback_months(never).value == float("inf")
    assert m.payback_months(missing).value is None


def test_days_in_pilot_and_time_box_share():
    piloting = evidence(pilot_entered_at=AT - dt.timedelta(days=45))

    assert m.days_in_pilot(piloting).value == 45
    assert m.pilot_time_box_used(piloting).value == 0.5
    assert m.days_in_pilot(evidence()).value is None


def test_unpaired_technical_metrics_are_counted():
    business = metric(id=1)
    paired = metric(id=2, name="Accuracy", kind="technical", paired_with_id=1)
    unpaired = metric(id=3, name="Usage", kind="technical")

    assert m.unpaired_technical(evidence(business, paired, unpaired)).value == 1


def test_data_reality_needs_committed_work_on_blocking_gaps():
    fields = {"data_assumed": "All claims", "data_existing": "Most claims"}
    gap = {"closing_work": "Backfill", "owner_committed": False, "blocks_production": True}

    assert m.data_reality(evidence(use_case=fields)).value == 1
    assert m.data_reality(evidence(use_case=fields, gaps=(gap,))).value == 0
    assert m.data_reality(evidence()).value == 0


def test_red_diagnostic_lines_measure_what_the_evidence_holds():
    assert m.red_diagnostic_lines(evidence()).value is None
    assert m.red_diagnostic_lines(evidence(red_diagnostic_lines=3)).value == 3


@pytest.mark.django_db
def test_red_diagnostic_lines_come_from_the_stall_diagnostic():
    from portfolio.selectors_diagnostic import use_case_diagnostic
    from tests import factories

    healthy = factories.UseCaseFactory()
    ownerless = factories.UseCaseFactory(
        outcome_owner=None, data_assumed="", success_definition="", sponsor_signed_off_at=None
    )

    for use_case in (healthy, ownerless):
        expected = use_case_diagnostic(use_case_id=use_case.pk, at=AT).red_lines
        assert evidence_sources.red_diagnostic_lines(use_case_id=use_case.pk, at=AT) == expected
    assert evidence_sources.red_diagnostic_lines(use_case_id=ownerless.pk, at=AT) > (
        evidence_sources.red_diagnostic_lines(use_case_id=healthy.pk, at=AT)
    )
    assert evidence_sources.red_diagnostic_lines(use_case_id=0, at=AT) is None
