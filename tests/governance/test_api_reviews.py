"""Reviews, votes and decisions through the API: the scorecard, recusal, the throttle."""

from rest_framework.throttling import ScopedRateThrottle

from governance.models import Vote


def test_the_scorecard_shows_each_criterion_the_quorum_and_the_recusal(world):
    response = world.client("board").get(f"/api/reviews/{world.review.pk}/scorecard/")

    assert response.status_code == 200
    card = response.json()
    assert card["review"]["gate"] == "G0"
    assert card["snapshot"]["rows"], "every criterion is on the scorecard"
    assert card["quorum"]["electorate"] == 2  # three voting seats, one recused
    assert [r["member_name"] for r in card["recusals"]] == [world.users["recused"].username]


def test_a_board_member_votes_once(world):
    client = world.client("board")
    url = f"/api/reviews/{world.review.pk}/vote/"

    first = client.post(url, {"choice": "go", "comment": "Convincing."})
    second = client.post(url, {"choice": "no_go", "comment": "Changed my mind."})

    assert first.status_code == 201
    assert first.json()["member_name"] == world.users["board"].username
    assert second.status_code == 409
    assert second.json()["code"] == "already_voted"


def test_a_recused_member_cannot_vote(world):
    response = world.client("recused").post(
        f"/api/reviews/{world.review.pk}/vote/", {"choice": "go", "comment": "Yes."}
    )

    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_closing_before_quorum_is_409_with_the_numbers(world):
    response = world.client("chair").post(f"/api/reviews/{world.review.pk}/close/", {})

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["votes"], body["required"]) == ("quorum_not_reached", 0, 2)


def test_votes_are_throttled_with_retry_after(world, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"decisions": "1/minute"})
    client = world.client("board")
    url = f"/api/reviews/{world.review.pk}/vote/"

    client.post(url, {"choice": "go", "comment": "Convincing."})
    throttled = client.post(url, {"choice": "go", "comment": "Again."})

    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["code"] == "throttled"


def test_an_outsider_does_not_see_reviews_of_another_departments_drafts(world):
    response = world.client("other_head").get(f"/api/reviews/?use_case_id={world.draft.pk}")

    assert response.json()["count"] == 0


def test_an_executive_with_a_board_seat_votes_as_a_member(world):
    seat = world.seats["board"]
    executive = world.users["executive"]
    seat.user = executive
    seat.save()

    response = world.client("executive").post(
        f"/api/reviews/{world.review.pk}/vote/", {"choice": "go", "comment": "As a member."}
    )

    assert response.status_code == 201
    assert (
        world.client("executive")
        .patch(f"/api/use-cases/{world.submitted.pk}/", {"data_existing": "x"})
        .status_code
        == 403
    )
