"""The hard stops of the AI Act at the gate, on every way in.

- Art. 5 (prohibited practices): refused at submission (API, page, admin, import), and no
  gate decision or override moves one forward.
- Legal must-meets: duties due before first use (Art. 26(7), Art. 27(1) 'prior to deploying')
  at G0, before go-live at G1; GO and CONDITIONAL GO refused while they are open, whatever
  the votes; NO-GO, HOLD and RECYCLE allowed.
- A high-risk use case without a recorded role: insufficient evidence, never a pass.
"""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from compliance import services
from compliance.models import Obligation
from core.errors import ConflictError
from gates.choices import Recommendation
from governance import services as governance_services
from governance.models import Decision
from inventory.services import inventory_import
from portfolio.choices import State
from portfolio.models import UseCase
from tests import factories
from tests.support.compliance import in_pilot_lawfully
from tests.support.gates import T0, ready_for_g1, submitted
from tests.support.inventory import csv_file

pytestmark = pytest.mark.usefixtures("catalogue", "default_criteria")


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def prohibited_draft(department):
    # Art. 5(1)(c): social scoring leading to detrimental treatment.
    return factories.UseCaseFactory(
        department=department, title="Citizen trust score", risk_prohibited_practice=True
    )


def review_voted(use_case, head, choice="go", at=T0):
    board = factories.BoardFactory(name="Gate test board")
    seat = board.members.first() or factories.BoardMemberFactory(board=board, is_chair=True)
    review = governance_services.review_request(use_case=use_case, actor=head, at=at)
    governance_services.vote_cast(
        review=review, actor=seat.user, choice=choice, comment="As voted.", at=at
    )
    return review, seat.user


# --- Art. 5 at submission, on every interface -------------------------------------------


def test_the_api_refuses_to_submit_a_prohibited_practice(department, head):
    use_case = prohibited_draft(department)

    response = api_as(head).post(f"/api/use-cases/{use_case.pk}/submit/")

    assert response.status_code == 409
    assert response.json()["code"] == "prohibited_practice"
    assert "Art. 5" in response.json()["message"]
    assert UseCase.objects.get(pk=use_case.pk).state == State.DRAFT


def test_the_page_refuses_to_submit_a_prohibited_practice(client, department, head):
    use_case = prohibited_draft(department)
    client.force_login(head)

    response = client.post(reverse("use-case-submit", args=[use_case.pk]), follow=True)

    assert b"prohibited by Art. 5" in response.content
    assert UseCase.objects.get(pk=use_case.pk).state == State.DRAFT


def test_the_admin_refuses_to_submit_a_prohibited_practice(client, admin_user, department):
    use_case = prohibited_draft(department)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:portfolio_usecase_changelist"),
        {"action": "submit", "_selected_action": [use_case.pk]},
        follow=True,
    )

    assert b"prohibited by Art. 5" in response.content
    assert UseCase.objects.get(pk=use_case.pk).state == State.DRAFT


def test_the_import_refuses_a_prohibited_practice_as_submitted(department):
    importer = factories.administrator(username="importer", email="importer@example.com")
    row = {
        "Reference": "INV-5",
        "Title": "Citizen trust score",
        "Department": department.name,
        "Prohibited practice": "yes",
        "Submitted": "15/01/2024",
    }

    report = inventory_import(
        actor=importer, content=csv_file([row]), filename="register.csv", dry_run=False
    )

    # The refusal comes from the shared path (portfolio's transition import), so the whole
    # file is refused at apply and the report names the article.
    assert report["applied"] is False
    assert any("prohibited by Art. 5" in e["message"] for e in report["errors"])
    assert not UseCase.objects.filter(external_reference="INV-5").exists()


def test_no_decision_moves_a_prohibited_practice_forward(department, head):
    # A use case recorded before the hard stop (or whose answer changed since submission).
    use_case = submitted(department, head)
    UseCase.objects.filter(pk=use_case.pk).update(risk_prohibited_practice=True)
    review, chair = review_voted(use_case, head, "go")

    with pytest.raises(ConflictError) as refused:
        governance_services.review_close(
            review=review, actor=chair, rationale="The board accepts the risk.", at=T0
        )

    assert refused.value.code == "prohibited_practice"
    assert "Art. 5" in refused.value.message
    assert not Decision.objects.filter(review=review).exists()
    assert UseCase.objects.get(pk=use_case.pk).state == State.SUBMITTED


def test_the_api_close_says_409_for_a_prohibited_practice_and_no_go_stops_it(department, head):
    use_case = submitted(department, head)
    UseCase.objects.filter(pk=use_case.pk).update(risk_prohibited_practice=True)
    review, chair = review_voted(use_case, head, "no_go")
    go = review_voted(submitted(department, head, title="Another"), head, "go")

    UseCase.objects.filter(pk=go[0].use_case_id).update(risk_prohibited_practice=True)
    refused = api_as(go[1]).post(f"/api/reviews/{go[0].pk}/close/", {"rationale": "Go."})
    stopped = api_as(chair).post(
        f"/api/reviews/{review.pk}/close/", {"lesson": "Art. 5 first.", "cause": "regulation"}
    )

    assert (refused.status_code, refused.json()["code"]) == (409, "prohibited_practice")
    assert refused.json()["allowed_verdicts"] == ["no_go", "hold", "recycle"]
    assert stopped.status_code in (200, 201)
    assert UseCase.objects.get(pk=use_case.pk).state == State.KILLED


# --- Legal must-meets at G0 and G1 --------------------------------------------------------


def test_go_at_g0_is_refused_while_a_duty_due_before_first_use_is_open(department, head):
    # A public body deploying an Annex III system (Art. 27(1)): the FRIA is due 'prior to
    # deploying'; Art. 26(7) before use at the workplace.
    use_case = submitted(
        department, head, risk_annex_iii_area=True, human_oversight="Caseworkers decide."
    )
    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role="deployer", fria_scope=True
    )
    review, chair = review_voted(use_case, head, "go")
    row = next(
        r
        for r in review.snapshots.get().rows
        if r["label"] == "No open obligation due before first use"
    )
    # Art. 26(1), 26(2), 26(7), 26(9), 26(11) and 27 are due before first use: 6 open.
    assert (row["value"], row["outcome"]) == (6.0, "fail")

    with pytest.raises(ConflictError) as refused:
        governance_services.review_close(
            review=review, actor=chair, rationale="We will do it during the pilot.", at=T0
        )

    assert refused.value.code == "legal_must_meet_open"
    assert "Art. 27" in refused.value.message and "Art. 26(7)" in refused.value.message
    assert {d["article"] for d in refused.value.extra["duties"]} == {
        "Art. 26(1)",
        "Art. 26(2)",
        "Art. 26(7)",
        "Art. 26(9)",
        "Art. 26(11)",
        "Art. 27",
    }
    assert UseCase.objects.get(pk=use_case.pk).state == State.SUBMITTED


def test_hold_is_allowed_against_the_same_open_duties(department, head):
    use_case = submitted(department, head, risk_annex_iii_area=True, human_oversight="Yes.")
    services.regulatory_profile_record(use_case=use_case, actor=head, act_role="deployer")
    review, chair = review_voted(use_case, head, "hold")

    decision = governance_services.review_close(
        review=review, actor=chair, rationale="Until the duties are met.", at=T0
    )

    assert decision.verdict == "hold"
    assert UseCase.objects.get(pk=use_case.pk).state == State.ON_HOLD


def test_conditional_go_at_g1_is_refused_with_a_before_go_live_duty_open(department, head):
    use_case = in_pilot_lawfully(
        department, head, risk_annex_iii_area=True, human_oversight="Two people."
    )
    ready_for_g1(use_case, head)
    review, chair = review_voted(use_case, head, "conditional_go")

    with pytest.raises(ConflictError) as refused:
        governance_services.review_close(
            review=review,
            actor=chair,
            rationale="Go, on condition.",
            conditions=[{"text": "Check input data", "due_date": dt.date(2025, 6, 1)}],
            at=T0,
        )

    assert refused.value.code == "legal_must_meet_open"
    assert [d["article"] for d in refused.value.extra["duties"]] == ["Art. 26(4)"]

    duty = Obligation.objects.get(use_case=use_case, obligation_type__code="art26_4_input_data")
    services.obligation_update(
        obligation=duty, actor=head, status="met", evidence_link="https://dq.example.com/r/1"
    )
    decision = governance_services.review_close(
        review=review,
        actor=chair,
        rationale="Go, on condition.",
        conditions=[{"text": "Check input data", "due_date": dt.date(2025, 6, 1)}],
        at=T0,
    )
    assert decision.verdict == "conditional_go"
    assert UseCase.objects.get(pk=use_case.pk).state == State.SCALE


def test_a_high_risk_use_case_without_a_role_is_insufficient_evidence_not_a_pass(department, head):
    use_case = submitted(department, head, risk_annex_iii_area=True, human_oversight="Yes.")
    review, chair = review_voted(use_case, head, "go")
    snapshot = review.snapshots.get()
    row = next(r for r in snapshot.rows if r["label"] == "No open obligation due before first use")

    assert row["value"] is None and row["outcome"] != "pass"
    assert snapshot.recommendation == Recommendation.INSUFFICIENT_EVIDENCE
    with pytest.raises(ConflictError) as refused:
        governance_services.review_close(review=review, actor=chair, rationale="Go.", at=T0)
    assert refused.value.extra["duties"][0]["code"] == "role_not_recorded"


def test_a_minimal_risk_use_case_without_a_role_passes_g0(department, head):
    use_case = submitted(department, head)
    review, chair = review_voted(use_case, head, "go")

    decision = governance_services.review_close(review=review, actor=chair, at=T0)

    assert decision.verdict == "go"
    assert UseCase.objects.get(pk=use_case.pk).state == State.PILOT


def test_the_review_page_says_why_a_go_is_refused(client, department, head):
    use_case = submitted(department, head, risk_annex_iii_area=True, human_oversight="Yes.")
    services.regulatory_profile_record(
        use_case=use_case, actor=head, act_role="deployer", fria_scope=True
    )
    review, chair = review_voted(use_case, head, "go")
    client.force_login(chair)

    response = client.post(
        reverse("review-close", args=[review.pk]),
        {"verdict": "go", "rationale": "Pilot first, paperwork later."},
        follow=True,
    )

    assert b"no override moves past it" in response.content
    assert b"Art. 27" in response.content
    assert not Decision.objects.filter(review=review).exists()
