"""Use cases through the API: intake, lifecycle actions, what each person may do now."""

from portfolio.choices import State
from portfolio.models import TransitionRecord, UseCase
from tests import factories


def test_a_head_creates_a_draft_in_their_department(world):
    response = world.client("head").post(
        "/api/use-cases/",
        {"department": world.department.pk, "title": "Fraud triage", "origin": "bottom_up"},
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == State.DRAFT
    assert body["department_name"] == "Claims"
    assert body["available_transitions"] == ["submit"]


def test_the_state_is_not_writable(world):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {"state": "pilot", "title": "Renamed"}
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"state": ["Unknown field; it is not accepted here."]}
    world.draft.refresh_from_db()
    assert (world.draft.state, world.draft.title) == (State.DRAFT, "Claims draft")


def test_submit_moves_a_complete_draft_and_records_who(world):
    response = world.client("head").post(f"/api/use-cases/{world.draft.pk}/submit/")

    assert response.status_code == 200
    assert response.json()["state"] == State.SUBMITTED
    record = TransitionRecord.objects.get(use_case=world.draft)
    assert record.actor == world.users["head"]


def test_submit_of_an_incomplete_intake_is_400_per_field(world):
    UseCase.objects.filter(pk=world.draft.pk).update(sponsor=None, problem_statement="")

    response = world.client("head").post(f"/api/use-cases/{world.draft.pk}/submit/")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) >= {"sponsor", "problem_statement"}


def test_an_illegal_transition_is_409_naming_the_allowed_ones(world):
    response = world.client("head").post(f"/api/use-cases/{world.submitted.pk}/submit/")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert body["allowed_transitions"] == ["hold", "kill"]
    assert body["state"] == State.SUBMITTED


def test_kill_needs_a_reason(world):
    response = world.client("head").post(f"/api/use-cases/{world.submitted.pk}/kill/", {})

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_hold_and_resume_return_to_the_stage_left(world):
    client = world.client("head")
    url = f"/api/use-cases/{world.submitted.pk}/"

    held = client.post(url + "hold/", {"reason": "budget freeze"})
    resumed = client.post(url + "resume/")

    assert held.json()["state"] == State.ON_HOLD
    assert held.json()["available_transitions"] == ["kill", "resume"]
    assert resumed.json()["state"] == State.SUBMITTED


def test_another_departments_head_sees_no_transitions_on_a_submitted_use_case(world):
    response = world.client("other_head").get(f"/api/use-cases/{world.submitted.pk}/")

    assert response.status_code == 200
    assert response.json()["available_transitions"] == []


def test_intake_fields_freeze_after_submission(world):
    response = world.client("head").patch(
        f"/api/use-cases/{world.submitted.pk}/", {"title": "New title"}
    )

    assert response.status_code == 400
    assert response.json()["fields"]["title"] == ["Editable only while the use case is a draft."]


def test_a_huge_number_is_400_not_a_database_error(world):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {"build_cost": "1e30"}
    )

    assert response.status_code == 400
    assert "build_cost" in response.json()["fields"]


def test_a_negative_cost_is_400(world):
    response = world.client("head").patch(f"/api/use-cases/{world.draft.pk}/", {"build_cost": "-5"})

    assert response.status_code == 400


def test_another_departments_draft_as_template_answers_like_a_missing_one(world):
    hidden = factories.UseCaseFactory(department=world.other_department)
    client = world.client("head")

    hidden_answer = client.patch(f"/api/use-cases/{world.draft.pk}/", {"template": hidden.pk})
    missing_answer = client.patch(f"/api/use-cases/{world.draft.pk}/", {"template": 999_999})

    assert hidden_answer.status_code == missing_answer.status_code == 400
    hidden_message = hidden_answer.json()["fields"]["template"][0]
    assert hidden_message.replace(str(hidden.pk), "N") == missing_answer.json()["fields"][
        "template"
    ][0].replace("999999", "N")


def test_the_sponsor_signs_off_although_executives_otherwise_write_nothing(world, api):
    sponsor = world.users["executive"]
    UseCase.objects.filter(pk=world.draft.pk).update(sponsor=sponsor)

    response = api(sponsor).post(f"/api/use-cases/{world.draft.pk}/sign-off/", {"party": "sponsor"})

    assert response.status_code == 200
    assert response.json()["sponsor_signed_off_at"] is not None


def test_only_drafts_are_deleted(world):
    client = world.client("head")

    assert client.delete(f"/api/use-cases/{world.submitted.pk}/").status_code == 409
    assert client.delete(f"/api/use-cases/{world.draft.pk}/").status_code == 204
    assert not UseCase.objects.filter(pk=world.draft.pk).exists()
