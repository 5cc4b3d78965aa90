"""The G1 must-meet criterion "no open obligation due before go-live" through real reviews,
and the "obligation overdue" flag one day either side of a due date, with a fixed clock."""

import datetime as dt

import pytest

from compliance import services
from compliance.models import Obligation
from compliance.watch import obligations_sweep
from gates import services as gate_services
from gates.models import CriteriaSet
from portfolio.models import Flag, FlagKind
from tests.support.compliance import in_pilot_lawfully, use_case_with
from tests.support.gates import T0, in_pilot, ready_for_g1

pytestmark = pytest.mark.usefixtures("catalogue", "default_criteria")

LABEL = "No open obligation due before go-live"


def g1_row(use_case, at=T0):
    review = gate_services.review_open(use_case=use_case, at=at)
    snapshot = review.snapshots.get()
    return review, next(row for row in snapshot.rows if row["label"] == LABEL)


def meet(obligation, actor):
    services.obligation_update(
        obligation=obligation,
        actor=actor,
        status="met",
        evidence_link="https://intranet.example.com/evidence",
    )


def test_every_current_g1_set_carries_the_criterion_as_must_meet(db):
    for criteria_set in CriteriaSet.objects.filter(gate="G1", is_current=True):
        criterion = criteria_set.criteria.get(measurable="open_obligations")
        assert (criterion.kind, criterion.comparator, criterion.threshold) == ("must", "at_most", 0)


def test_one_open_duty_before_go_live_fails_g1_and_none_passes(department, head):
    use_case = in_pilot_lawfully(
        department, head, risk_annex_iii_area=True, human_oversight="Two people."
    )
    ready_for_g1(use_case, head)
    gating = list(
        Obligation.objects.filter(
            use_case=use_case, status="open", obligation_type__due_when="before_go_live"
        )
    )
    # Art. 26(4) is the one deployer duty due before go-live that is not due before first use
    # (met at G0); Art. 4, 26(5), 26(6) are ongoing and Art. 86 comes on a request.
    assert [o.obligation_type.article for o in gating] == ["Art. 26(4)"]

    review, row = g1_row(use_case)

    assert (row["value"], row["outcome"], row["must_meet"]) == (1.0, "fail", True)
    assert row["sources"][0]["obligation_id"] == gating[0].pk
    assert review.snapshots.get().recommendation == "no_go"
    assert len(row["sources"]) == 1

    meet(gating[0], head)
    snapshot = gate_services.review_evaluate(review=review, at=T0)

    row = next(r for r in snapshot.rows if r["label"] == LABEL)
    assert (row["value"], row["outcome"]) == (0.0, "pass")
    assert snapshot.recommendation == "go"


def test_a_minimal_risk_use_case_has_no_go_live_duties(department, head):
    use_case = in_pilot(department, head)
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="both")

    _, row = g1_row(use_case)

    assert (row["value"], row["outcome"]) == (0.0, "pass")


DUE = dt.date(2026, 9, 15)


def at_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def open_flags(use_case):
    return Flag.objects.filter(
        use_case=use_case, kind=FlagKind.OBLIGATION_OVERDUE, cleared_at__isnull=True
    )


def test_the_overdue_flag_rises_the_day_after_the_due_date_and_clears_when_met(department, head):
    use_case = use_case_with(department, head, tier="limited")
    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role="deployer", deep_fake_or_public_text=True
    )
    literacy = Obligation.objects.get(use_case=use_case, obligation_type__code="art4_ai_literacy")
    disclosure = Obligation.objects.get(
        use_case=use_case, obligation_type__code="art50_4_deep_fake"
    )
    meet(disclosure, head)
    services.obligation_update(obligation=literacy, actor=head, due_date=DUE)

    obligations_sweep(at=at_day(DUE - dt.timedelta(days=1)))
    assert not open_flags(use_case).exists()
    obligations_sweep(at=at_day(DUE))
    assert not open_flags(use_case).exists()  # due on the day: by the end of it

    result = obligations_sweep(at=at_day(DUE + dt.timedelta(days=1)))

    flag = open_flags(use_case).get()
    assert result.raised == 1
    assert flag.reason == "Art. 4 was due 2026-09-15."

    meet(literacy, head)
    result = obligations_sweep(at=at_day(DUE + dt.timedelta(days=2)))

    assert (result.raised, result.cleared) == (0, 1)
    assert not open_flags(use_case).exists()


def test_drafts_are_not_flagged(department, head):
    use_case = use_case_with(department, head, tier="minimal", submit=False)
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    obligation = Obligation.objects.get(use_case=use_case)
    services.obligation_update(obligation=obligation, actor=head, due_date=DUE)

    obligations_sweep(at=at_day(DUE + dt.timedelta(days=1)))

    assert not open_flags(use_case).exists()


def test_met_needs_evidence(department, head):
    from django.core.exceptions import ValidationError

    use_case = use_case_with(department, head, tier="minimal")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    obligation = Obligation.objects.get(use_case=use_case)

    with pytest.raises(ValidationError) as invalid:
        services.obligation_update(obligation=obligation, actor=head, status="met")

    assert list(invalid.value.message_dict) == ["evidence_link"]


def test_the_task_sweeps_on_todays_date(department, head):
    from django.utils import timezone

    from compliance.tasks import obligations_sweep_task

    use_case = use_case_with(department, head, tier="minimal")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    obligation = Obligation.objects.get(use_case=use_case)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.obligation_update(obligation=obligation, actor=head, due_date=yesterday)

    assert obligations_sweep_task() == {"raised": 1, "cleared": 0, "open": 1}
    assert obligations_sweep_task() == {"raised": 0, "cleared": 0, "open": 1}
