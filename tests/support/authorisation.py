"""The authorisation matrix: every endpoint, the status each role must get for it (read by
tests/config/test_authorisation_matrix.py)."""

from dataclasses import dataclass, field

from tests import factories
from tests.support.records import (
    artifact_of,
    business,
    conditional_go,
    flag_on,
    forecast_of,
    gap_of,
    lesson_of,
    notification_for_head,
    reading_of,
    rebaseline_of,
    seat,
    technical,
    velocity_of,
)

ROLES = ["anonymous", "head", "other_head", "board", "recused", "chair", "executive", "admin"]


BOARD = ("board", "recused", "chair")


def expect(default: int, **by_role) -> dict:
    """Statuses by role. Unless said otherwise, board members (voting, recused, chair) are
    outsiders to Claims on portfolio resources, like the head of another department."""
    statuses = dict.fromkeys(ROLES, default)
    statuses["anonymous"] = 401
    statuses.update(by_role)
    for role in BOARD:
        if role not in by_role:
            statuses[role] = statuses["other_head"]
    return statuses


def read_any(ok=200):
    return expect(ok)


def read_draft(ok=200):
    return expect(ok, other_head=404)


def write_draft(ok=200):
    return expect(ok, other_head=404, executive=403)


def write_published(ok=200):
    return expect(ok, other_head=403, executive=403)


def create_on_draft(ok=201):
    # The invisible use case in the body is "does not exist", like a missing id.
    return expect(ok, other_head=400, executive=403)


def configuration(ok=201):
    return expect(403, admin=ok)


@dataclass
class Call:
    name: str
    method: str
    path: object  # callable(world) -> str
    statuses: dict
    body: object = field(default=None)  # callable(world) -> dict


CALLS = [
    # use cases
    Call("use-cases list", "get", lambda w: "/api/use-cases/", read_any()),
    Call("use-case draft", "get", lambda w: f"/api/use-cases/{w.draft.pk}/", read_draft()),
    Call("use-case submitted", "get", lambda w: f"/api/use-cases/{w.submitted.pk}/", read_any()),
    Call(
        "use-case create",
        "post",
        lambda w: "/api/use-cases/",
        expect(201, other_head=403, executive=403),
        lambda w: {"department": w.department.pk, "title": "New"},
    ),
    Call(
        "use-case edit draft",
        "patch",
        lambda w: f"/api/use-cases/{w.draft.pk}/",
        write_draft(),
        lambda w: {"title": "Renamed"},
    ),
    Call(
        "use-case edit submitted",
        "patch",
        lambda w: f"/api/use-cases/{w.submitted.pk}/",
        write_published(),
        lambda w: {"data_existing": "More now."},
    ),
    Call(
        "use-case delete draft",
        "delete",
        lambda w: f"/api/use-cases/{w.draft.pk}/",
        write_draft(204),
    ),
    Call(
        "use-case submit", "post", lambda w: f"/api/use-cases/{w.draft.pk}/submit/", write_draft()
    ),
    Call(
        "use-case hold",
        "post",
        lambda w: f"/api/use-cases/{w.submitted.pk}/hold/",
        write_published(),
    ),
    Call(
        "use-case kill",
        "post",
        lambda w: f"/api/use-cases/{w.submitted.pk}/kill/",
        write_published(),
        lambda w: {"reason": "No value.", "lesson": "Measure first.", "cause": "value"},
    ),
    Call(
        "use-case sign-off by a non-signer",
        "post",
        lambda w: f"/api/use-cases/{w.draft.pk}/sign-off/",
        expect(403, other_head=404),
        lambda w: {"party": "sponsor"},
    ),
    # transition record
    Call("transitions list", "get", lambda w: "/api/transitions/", read_any()),
    Call(
        "transition of submitted",
        "get",
        lambda w: f"/api/transitions/{w.submitted.transitions.get().pk}/",
        read_any(),
    ),
    # metrics
    Call("metrics list", "get", lambda w: "/api/metrics/", read_any()),
    Call("metric of draft", "get", lambda w: f"/api/metrics/{business(w.draft).pk}/", read_draft()),
    Call(
        "metric of submitted",
        "get",
        lambda w: f"/api/metrics/{business(w.submitted).pk}/",
        read_any(),
    ),
    Call(
        "metric create",
        "post",
        lambda w: "/api/metrics/",
        create_on_draft(),
        lambda w: {"use_case": w.draft.pk, "name": "Complaints", "unit": "count", "baseline": "3"},
    ),
    Call(
        "metric edit draft",
        "patch",
        lambda w: f"/api/metrics/{business(w.draft).pk}/",
        write_draft(),
        lambda w: {"target": "3"},
    ),
    Call(
        "metric edit submitted",
        "patch",
        lambda w: f"/api/metrics/{business(w.submitted).pk}/",
        write_published(),
        lambda w: {"unit": "working days"},
    ),
    Call(
        "metric delete draft",
        "delete",
        lambda w: f"/api/metrics/{technical(w.draft).pk}/",
        write_draft(204),
    ),
    # readings
    Call("readings list", "get", lambda w: "/api/readings/", read_any()),
    Call(
        "reading of draft",
        "get",
        lambda w: f"/api/readings/{reading_of(w.draft).pk}/",
        read_draft(),
    ),
    Call(
        "reading add",
        "post",
        lambda w: "/api/readings/",
        write_published(201),
        lambda w: {"metric": business(w.submitted).pk, "value": "6.5"},
    ),
    # data gaps
    Call("data-gaps list", "get", lambda w: "/api/data-gaps/", read_any()),
    Call(
        "data-gap of submitted",
        "get",
        lambda w: f"/api/data-gaps/{gap_of(w.submitted).pk}/",
        read_any(),
    ),
    Call(
        "data-gap create",
        "post",
        lambda w: "/api/data-gaps/",
        create_on_draft(),
        lambda w: {"use_case": w.draft.pk, "description": "No labels"},
    ),
    Call(
        "data-gap edit draft",
        "patch",
        lambda w: f"/api/data-gaps/{gap_of(w.draft).pk}/",
        write_draft(),
        lambda w: {"owner_committed": False},
    ),
    Call(
        "data-gap delete draft",
        "delete",
        lambda w: f"/api/data-gaps/{gap_of(w.draft).pk}/",
        write_draft(204),
    ),
    # artifacts
    Call("artifacts list", "get", lambda w: "/api/artifacts/", read_any()),
    Call(
        "artifact of draft",
        "get",
        lambda w: f"/api/artifacts/{artifact_of(w.draft).pk}/",
        read_draft(),
    ),
    Call(
        "artifact write",
        "post",
        lambda w: "/api/artifacts/",
        write_published(201),
        lambda w: {"use_case": w.submitted.pk, "kind": "scale_memo", "content": "Memo"},
    ),
    # configuration
    Call("departments list", "get", lambda w: "/api/departments/", read_any()),
    Call("department", "get", lambda w: f"/api/departments/{w.department.pk}/", read_any()),
    Call(
        "department create",
        "post",
        lambda w: "/api/departments/",
        configuration(),
        lambda w: {"name": "Legal"},
    ),
    Call("people list", "get", lambda w: "/api/people/", read_any()),
    Call("person", "get", lambda w: f"/api/people/{w.users['head'].pk}/", read_any()),
    Call("memberships list", "get", lambda w: "/api/memberships/", read_any()),
    Call(
        "membership set",
        "post",
        lambda w: "/api/memberships/",
        configuration(),
        lambda w: {
            "user": factories.UserFactory().pk,
            "department": w.department.pk,
            "role": "member",
        },
    ),
    # notifications: one's own only
    Call("notifications list", "get", lambda w: "/api/notifications/", read_any()),
    Call(
        "notification mark read",
        "post",
        lambda w: f"/api/notifications/{notification_for_head(w).pk}/read/",
        expect(404, head=200),
    ),
    # gate reviews
    Call("reviews list", "get", lambda w: "/api/reviews/", read_any()),
    Call("review", "get", lambda w: f"/api/reviews/{w.review.pk}/", read_any()),
    Call("review scorecard", "get", lambda w: f"/api/reviews/{w.review.pk}/scorecard/", read_any()),
    Call(
        "review request",
        "post",
        lambda w: "/api/reviews/",
        write_published(201),
        lambda w: {"use_case": w.second.pk},
    ),
    Call(
        "review evaluate",
        "post",
        lambda w: f"/api/reviews/{w.review.pk}/evaluate/",
        expect(201, other_head=403, executive=403, board=201, recused=201, chair=201),
    ),
    Call(
        "review vote",
        "post",
        lambda w: f"/api/reviews/{w.review.pk}/vote/",
        expect(403, board=201, chair=201),
        lambda w: {"choice": "go", "comment": "The evidence holds."},
    ),
    Call(
        "review recuse",
        "post",
        lambda w: f"/api/reviews/{w.review.pk}/recuse/",
        expect(403, board=201, chair=201, recused=409),
        lambda w: {"reason": "I advised the team."},
    ),
    Call(
        "review close before quorum",
        "post",
        lambda w: f"/api/reviews/{w.review.pk}/close/",
        expect(403, chair=409, admin=409),
        lambda w: {"verdict": "go"},
    ),
    Call("snapshots list", "get", lambda w: "/api/snapshots/", read_any()),
    Call("snapshot", "get", lambda w: f"/api/snapshots/{w.review.snapshots.get().pk}/", read_any()),
    Call("votes list", "get", lambda w: "/api/votes/", read_any()),
    Call("recusals list", "get", lambda w: "/api/recusals/", read_any()),
    # decisions, conditions, re-baselining
    Call("decisions list", "get", lambda w: "/api/decisions/", read_any()),
    Call("decision", "get", lambda w: f"/api/decisions/{conditional_go(w).pk}/", read_any()),
    Call("conditions list", "get", lambda w: "/api/conditions/", read_any()),
    Call(
        "condition resolve",
        "post",
        lambda w: f"/api/conditions/{conditional_go(w).conditions.get().pk}/resolve/",
        expect(403, chair=200, admin=200),
        lambda w: {"met": True, "note": "Labelled."},
    ),
    Call("rebaseline-requests list", "get", lambda w: "/api/rebaseline-requests/", read_any()),
    Call(
        "rebaseline request",
        "post",
        lambda w: "/api/rebaseline-requests/",
        write_published(201),
        lambda w: {
            "metric": business(conditional_go(w).review.use_case).pk,
            "baseline": "8",
            "target": "5",
            "reason": "Measured in a quiet month.",
        },
    ),
    Call(
        "rebaseline decide",
        "post",
        lambda w: f"/api/rebaseline-requests/{rebaseline_of(w).pk}/decide/",
        expect(403, chair=200, admin=200),
        lambda w: {"approve": True},
    ),
    # boards, seats, delegations, criteria
    Call("boards list", "get", lambda w: "/api/boards/", read_any()),
    Call(
        "board create",
        "post",
        lambda w: "/api/boards/",
        configuration(),
        lambda w: {"name": "Second board", "departments": [w.other_department.pk]},
    ),
    Call("board-members list", "get", lambda w: "/api/board-members/", read_any()),
    Call(
        "board-member add",
        "post",
        lambda w: "/api/board-members/",
        configuration(),
        lambda w: {"board": w.seats["board"].board_id, "user": w.users["head"].pk},
    ),
    Call(
        "board-member deactivate",
        "post",
        lambda w: f"/api/board-members/{seat(w, 'board')}/deactivate/",
        configuration(200),
    ),
    Call("delegations list", "get", lambda w: "/api/delegations/", read_any()),
    Call(
        "delegation create",
        "post",
        lambda w: "/api/delegations/",
        expect(403, board=201, admin=201),
        lambda w: {
            "delegator": seat(w, "board"),
            "delegate": seat(w, "chair"),
            "starts_at": "2026-01-01T00:00:00Z",
            "ends_at": "2026-02-01T00:00:00Z",
        },
    ),
    Call("criteria-sets list", "get", lambda w: "/api/criteria-sets/", read_any()),
    Call(
        "criteria-set create",
        "post",
        lambda w: "/api/criteria-sets/",
        configuration(),
        lambda w: {
            "gate": "G1",
            "playbook": "discovery",
            "criteria": [
                {
                    "label": "Payback within two years",
                    "measurable": "payback_months",
                    "comparator": "at_most",
                    "threshold": "24",
                    "kind": "must",
                }
            ],
        },
    ),
    Call(
        "criteria-set revise",
        "post",
        lambda w: f"/api/criteria-sets/{w.review.criteria_set_id}/revise/",
        configuration(),
        lambda w: {"pass_mark": "60", "notes": "Looser for now."},
    ),
    # velocity, flags, diagnostic
    Call("flags list", "get", lambda w: "/api/flags/", read_any()),
    Call(
        "flag of submitted", "get", lambda w: f"/api/flags/{flag_on(w.submitted).pk}/", read_any()
    ),
    Call("flag of draft", "get", lambda w: f"/api/flags/{flag_on(w.draft).pk}/", read_draft()),
    Call("velocity list", "get", lambda w: "/api/velocity/", read_any()),
    Call(
        "velocity of submitted",
        "get",
        lambda w: f"/api/velocity/{velocity_of(w.submitted).pk}/",
        read_any(),
    ),
    Call("forecasts list", "get", lambda w: "/api/forecasts/", read_any()),
    Call(
        "forecast of submitted",
        "get",
        lambda w: f"/api/forecasts/{forecast_of(w.submitted).pk}/",
        read_any(),
    ),
    Call("forecasts back-test", "get", lambda w: "/api/forecasts/back-test/", read_any()),
    Call("lessons list", "get", lambda w: "/api/lessons/", read_any()),
    Call(
        "lesson of submitted",
        "get",
        lambda w: f"/api/lessons/{lesson_of(w.submitted).pk}/",
        read_any(),
    ),
    Call("lessons similar", "get", lambda w: "/api/lessons/similar/?text=claims", read_any()),
    Call(
        "diagnostic of draft",
        "get",
        lambda w: f"/api/use-cases/{w.draft.pk}/diagnostic/",
        read_draft(),
    ),
    Call(
        "diagnostic of submitted",
        "get",
        lambda w: f"/api/use-cases/{w.submitted.pk}/diagnostic/",
        read_any(),
    ),
]
