"""A choice filter given an empty or unknown value is refused with 400, never ignored."""

import pytest


@pytest.mark.parametrize("value", ["", "pilots", "PILOT"])
def test_an_empty_or_unknown_state_filter_is_refused(world, value):
    response = world.client("admin").get("/api/use-cases/", {"state": value})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["state"]


def test_a_known_state_filters(world):
    response = world.client("admin").get("/api/use-cases/", {"state": "draft"})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Claims draft"]
