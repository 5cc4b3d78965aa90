"""Lessons through the API: a kill, a retirement and a board's no-go refuse a missing lesson
by field; the lessons list and the similar query are strict about their parameters."""

from django.urls import reverse

from governance import services as governance
from portfolio.choices import State
from portfolio.models import Lesson, UseCase

LESSON_BODY = {"lesson": "Ask for the data first.", "cause": "data", "reusable": "The sample."}


def test_a_kill_without_a_lesson_is_400_naming_the_fields(world):
    response = world.client("head").post(
        f"/api/use-cases/{world.submitted.pk}/kill/", {"reason": "No data."}
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"lesson", "cause"}
    assert UseCase.objects.get(pk=world.submitted.pk).state == State.SUBMITTED


def test_a_retirement_without_a_lesson_is_400_naming_it(world):
    response = world.client("head").post(
        f"/api/use-cases/{world.second.pk}/retire/", {"cause": "value"}
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"lesson"}


def test_a_kill_with_its_lesson_stops_and_records_it(world):
    response = world.client("head").post(
        f"/api/use-cases/{world.second.pk}/kill/", {"reason": "No data.", **LESSON_BODY}
    )

    assert response.status_code == 200, response.json()
    lesson = Lesson.objects.get(use_case=world.second)
    assert (lesson.cause, lesson.learned, lesson.recorded_by) == (
        "data",
        "Ask for the data first.",
        world.users["head"],
    )


def no_go_voted(world):
    for role in ("chair", "board"):
        governance.vote_cast(
            review=world.review, actor=world.users[role], choice="no_go", comment="No."
        )
    return f"/api/reviews/{world.review.pk}/close/"


def test_a_board_no_go_without_a_lesson_is_400_and_decides_nothing(world):
    response = world.client("chair").post(no_go_voted(world), {"rationale": "No value."})

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"lesson", "cause"}
    assert UseCase.objects.get(pk=world.submitted.pk).state == State.SUBMITTED


def test_a_board_no_go_with_a_lesson_kills_and_records_it(world):
    response = world.client("chair").post(
        no_go_voted(world), {"rationale": "No value.", **LESSON_BODY}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert Lesson.objects.get(use_case=world.submitted).recorded_by == world.users["chair"]


def test_the_review_page_refuses_a_no_go_without_a_lesson(client, world):
    url = no_go_voted(world)
    client.force_login(world.users["chair"])

    page = client.post(
        reverse("review-close", args=[world.review.pk]), {"rationale": "No."}, follow=True
    )

    assert "A no-go records a lesson" in page.content.decode()
    assert UseCase.objects.get(pk=world.submitted.pk).state == State.SUBMITTED
    assert url  # the same review the API closes


def test_the_admin_asks_for_the_lesson_before_it_kills(client, world):
    client.force_login(world.users["admin"])
    changelist = reverse("admin:portfolio_usecase_changelist")
    picked = {"action": "kill", "_selected_action": [world.second.pk]}

    missing = client.post(changelist, {**picked, "apply": "1", "reason": "No data."})
    killed = client.post(changelist, {**picked, "apply": "1", "reason": "No.", **LESSON_BODY})

    assert missing.status_code == 200 and b'name="lesson"' in missing.content
    assert killed.status_code == 302
    assert Lesson.objects.get(use_case=world.second).cause == "data"


def test_the_lessons_list_filters_by_cause_and_refuses_an_unknown_parameter(world):
    for use_case, cause in ((world.second, "adoption"), (world.draft, "data")):
        Lesson.objects.create(use_case=use_case, transition="kill", learned="x", cause=cause)
    client = world.client("other_head")

    adoption = client.get("/api/lessons/", {"cause": "adoption"})
    misspelt = client.get("/api/lessons/", {"causes": "adoption"})

    assert [row["use_case"] for row in adoption.json()["results"]] == [world.second.pk]
    assert (misspelt.status_code, misspelt.json()["code"]) == (400, "unknown_parameter")


def test_similar_needs_its_text_and_refuses_an_unknown_parameter(world):
    client = world.client("head")

    missing = client.get("/api/lessons/similar/")
    misspelt = client.get("/api/lessons/similar/", {"text": "claims", "txt": "x"})
    found = client.get(
        "/api/lessons/similar/", {"text": "Claims second", "exclude_use_case_id": world.draft.pk}
    )

    assert (missing.status_code, list(missing.json()["fields"])) == (400, ["text"])
    assert (misspelt.status_code, misspelt.json()["code"]) == (400, "unknown_parameter")
    assert found.json()["use_cases"][0]["id"] == world.second.pk
    assert found.json()["lessons"] == []
