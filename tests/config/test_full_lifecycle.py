"""One use case from draft to extend, driven only through the API by the people who do it:
the department head, the board (chair and members) and, at the end, the executive."""

import datetime as dt

from tests import factories
from tests.support.clients import client_for


def ok(response, status=200):
    assert response.status_code == status, response.content[:500]
    return response.json()


def decide(board, review_id: int, verdict: str, **close):
    """Every member votes ``verdict``; the chair closes the review with it."""
    for client in board.values():
        ok(
            client.post(
                f"/api/reviews/{review_id}/vote/", {"choice": verdict, "comment": "Agreed."}
            ),
            201,
        )
    return ok(
        board["chair"].post(
            f"/api/reviews/{review_id}/close/",
            {"verdict": verdict, "rationale": "The board weighed the evidence.", **close},
        ),
        201,
    )


def test_a_use_case_goes_from_draft_to_extend_through_the_api(department, head, executive):
    _, seats = factories.board_with(3, name="Portfolio board")
    board = {
        "chair": client_for(seats[0].user),
        "member": client_for(seats[1].user),
        "other": client_for(seats[2].user),
    }
    owner = factories.UserFactory(username="owner")
    me = client_for(head)

    # The head creates a draft and fills the intake.
    use_case = ok(
        me.post(
            "/api/use-cases/",
            {
                "department": department.pk,
                "title": "Claims triage assistant",
                "problem_statement": "Claims take nine days to settle.",
                "origin": "bottom_up",
                "outcome_owner": owner.pk,
                "owner_controls_resources": "yes",
                "data_assumed": "Five years of labelled claims.",
                "data_existing": "Three years in the warehouse.",
                "build_cost": "100000",
                "run_cost_yearly": "20000",
                "expected_benefit_yearly": "240000",
                "autonomy_share": "40",
                "execution_budget_share": "30",
                "sponsor": executive.pk,
                "operator_team": "Claims operations",
                "success_definition": "Settlement time halves.",
                "horizon": "short",
                "knowledge": "facts",
                "risk_prohibited_practice": False,
                "risk_annex_iii_area": False,
                "risk_safety_component": False,
                "risk_transparency_duty": False,
            },
        ),
        201,
    )
    pk = use_case["id"]
    business = ok(
        me.post(
            "/api/metrics/",
            {
                "use_case": pk,
                "name": "Days to settle",
                "unit": "days",
                "direction": "lower",
                "baseline": "9",
                "target": "4",
                "cadence": "weekly",
            },
        ),
        201,
    )
    ok(
        me.post(
            "/api/metrics/",
            {
                "use_case": pk,
                "kind": "technical",
                "name": "Adoption",
                "unit": "%",
                "baseline": "0",
                "paired_with": business["id"],
            },
        ),
        201,
    )
    ok(me.post("/api/data-gaps/", {"use_case": pk, "description": "Two years unlabelled"}), 201)
    assert ok(me.post(f"/api/use-cases/{pk}/submit/"))["state"] == "submitted"

    # G0: requested, voted, decided GO; the goalposts lock.
    review = ok(me.post("/api/reviews/", {"use_case": pk}), 201)
    assert ok(board["member"].get(f"/api/reviews/{review['id']}/scorecard/"))["snapshot"]
    decision = decide(board, review["id"], "go")
    assert decision["verdict"] == "go"
    assert ok(me.get(f"/api/use-cases/{pk}/"))["state"] == "pilot"
    locked = me.patch(f"/api/metrics/{business['id']}/", {"target": "3"})
    assert locked.status_code == 409

    # Readings through the pilot.
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    for week, value in enumerate(["8.5", "7.9", "6.8", "5.9", "5.1", "4.6"]):
        at = (start + dt.timedelta(weeks=week)).isoformat()
        ok(
            me.post(
                "/api/readings/", {"metric": business["id"], "value": value, "measured_at": at}
            ),
            201,
        )
    ok(
        me.post(
            "/api/artifacts/",
            {"use_case": pk, "kind": "scale_memo", "status": "final", "content": "It worked."},
        ),
        201,
    )

    # G1: a conditional go; the chair later records the condition met.
    review = ok(me.post("/api/reviews/", {"use_case": pk}), 201)
    decision = decide(
        board,
        review["id"],
        "conditional_go",
        conditions=[{"text": "Integration plan signed off.", "due_date": "2027-01-31"}],
    )
    assert ok(me.get(f"/api/use-cases/{pk}/"))["state"] == "scale"
    condition = decision["conditions"][0]
    met = ok(board["chair"].post(f"/api/conditions/{condition['id']}/resolve/", {"met": True}))
    assert met["status"] == "met"

    # G2: go to extend.
    review = ok(me.post("/api/reviews/", {"use_case": pk}), 201)
    decide(board, review["id"], "go")

    # The executive reads the result, and changes nothing.
    boss = client_for(executive)
    result = ok(boss.get(f"/api/use-cases/{pk}/"))
    assert result["state"] == "extend"
    assert result["available_transitions"] == []
    decisions = ok(boss.get(f"/api/decisions/?use_case_id={pk}&ordering=decided_at"))
    assert [d["gate"] for d in decisions["results"]] == ["G0", "G1", "G2"]
    assert [d["verdict"] for d in decisions["results"]] == ["go", "conditional_go", "go"]
    moves = ok(boss.get(f"/api/transitions/?use_case_id={pk}&ordering=at"))["results"]
    assert [m["to_state"] for m in moves] == ["submitted", "pilot", "scale", "extend"]
    assert all(m["authorisation_type"] == "decision" for m in moves[1:])
    votes = ok(boss.get(f"/api/votes/?use_case_id={pk}"))
    assert votes["count"] == 9
    assert boss.patch(f"/api/use-cases/{pk}/", {"realised_benefit_yearly": "1"}).status_code == 403
