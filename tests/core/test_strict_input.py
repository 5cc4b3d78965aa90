"""Strict writes: unknown and read-only fields refused by name, numbers and text bounded,
digits only 0-9, a metric needs its baseline, bodies bounded in size and depth."""

import json

import pytest
from django.urls import get_resolver

from core.api.strict import TEXT_MAX_LENGTH, StrictInputMixin
from portfolio.choices import State
from portfolio.models import Metric
from tests.support.records import business, conditional_go


def fields_of(response) -> dict:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid"
    return body["fields"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("state", "extend", "Unknown field; it is not accepted here."),
        ("id", 999, "Unknown field; it is not accepted here."),
        ("department", 1, "Unknown field; it is not accepted here."),
        (
            "sponsor_signed_off_at",
            "2026-01-01T00:00:00Z",
            "Unknown field; it is not accepted here.",
        ),
        ("colour", "blue", "Unknown field; it is not accepted here."),
    ],
)
def test_a_patch_naming_a_field_it_cannot_write_is_refused_and_changes_nothing(
    world, field, value, message
):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {field: value, "title": "Renamed"}
    )

    assert fields_of(response) == {field: [message]}
    world.draft.refresh_from_db()
    assert (world.draft.state, world.draft.title) == (State.DRAFT, "Claims draft")


def test_a_read_only_field_of_a_serializer_is_named_as_such(world):
    response = world.client("head").post(
        "/api/readings/",
        {"metric": business(world.submitted).pk, "value": "4", "id": 5},
    )
    assert fields_of(response) == {"id": ["Unknown field; it is not accepted here."]}


def test_a_nested_input_refuses_unknown_fields_too(world):
    response = world.client("admin").post(
        "/api/criteria-sets/",
        {
            "gate": "G0",
            "criteria": [{"name": "Owner", "kind": "boolean", "weight": 1, "rogue": True}],
        },
    )
    assert response.status_code == 400
    assert "rogue" in json.dumps(response.json()["fields"])


@pytest.mark.parametrize(
    ("value", "accepted"),
    [("-0.01", False), ("0", True), ("10000000000", True), ("10000000000.01", False)],
)
def test_money_is_never_negative_and_bounded_at_ten_billion(world, value, accepted):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {"build_cost": value}
    )
    if accepted:
        assert response.status_code == 200, response.content
    else:
        assert list(fields_of(response)) == ["build_cost"]


@pytest.mark.parametrize(("value", "accepted"), [("100", True), ("100.01", False), ("-1", False)])
def test_a_percentage_stays_between_0_and_100(world, value, accepted):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {"autonomy_share": value}
    )
    assert (response.status_code == 200) is accepted
    if not accepted:
        assert list(fields_of(response)) == ["autonomy_share"]


@pytest.mark.parametrize(
    ("length", "accepted"), [(TEXT_MAX_LENGTH, True), (TEXT_MAX_LENGTH + 1, False)]
)
def test_free_text_is_bounded(world, length, accepted):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {"problem_statement": "x" * length}
    )
    assert (response.status_code == 200) is accepted
    if not accepted:
        assert list(fields_of(response)) == ["problem_statement"]


# Arabic-Indic, full-width and Devanagari digits.
@pytest.mark.parametrize("digits", ["\u0661\u0662\u0663", "\uff11\uff12\uff13", "12\u0969"])
def test_numbers_in_other_scripts_are_refused(world, digits):
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", {"build_cost": digits}
    )
    assert fields_of(response) == {"build_cost": ["Write numbers with the digits 0-9."]}


@pytest.mark.parametrize(
    ("value", "accepted"), [("1000000000000", True), ("1000000000000.0001", False)]
)
def test_a_rebaselining_request_moves_a_goalpost_no_further_than_a_trillion(world, value, accepted):
    metric = business(conditional_go(world).review.use_case)
    response = world.client("head").post(
        "/api/rebaseline-requests/",
        {"metric": metric.pk, "target": value, "reason": "Measured in a quiet month."},
    )
    assert (response.status_code == 201) is accepted, response.content
    if not accepted:
        assert list(fields_of(response)) == ["target"]


def test_a_reading_in_other_digits_is_refused(world):
    response = world.client("head").post(
        "/api/readings/", {"metric": business(world.submitted).pk, "value": "٤"}
    )
    assert fields_of(response) == {"value": ["Write numbers with the digits 0-9."]}


def test_a_metric_without_a_baseline_is_refused(world):
    before = Metric.objects.count()
    response = world.client("head").post(
        "/api/metrics/", {"use_case": world.draft.pk, "name": "Complaints", "unit": "count"}
    )
    null = world.client("head").post(
        "/api/metrics/",
        {"use_case": world.draft.pk, "name": "Complaints", "unit": "count", "baseline": None},
    )
    assert fields_of(response) == {"baseline": ["This field is required."]}
    assert list(fields_of(null)) == ["baseline"]
    assert Metric.objects.count() == before


def test_a_body_nested_100000_levels_deep_is_a_400(world):
    body = "[" * 100_000 + "]" * 100_000
    response = world.client("head").generic(
        "PATCH", f"/api/use-cases/{world.draft.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(("depth", "status"), [(32, 400), (33, 400)])
def test_depth_beyond_32_is_refused_before_any_field_is_looked_at(world, depth, status):
    nested = {"title": "x"}
    for _ in range(depth - 1):
        nested = {"title": nested}
    response = world.client("head").patch(
        f"/api/use-cases/{world.draft.pk}/", nested, format="json"
    )
    assert response.status_code == status
    code = response.json()["code"]
    assert code == ("invalid" if depth <= 32 else "parse_error")


def test_a_body_over_one_megabyte_is_a_400_in_the_error_format(world):
    body = json.dumps({"problem_statement": "x" * 1_100_000})
    response = world.client("head").generic(
        "PATCH", f"/api/use-cases/{world.draft.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "request_too_large"


def test_every_input_serializer_of_the_api_is_strict():
    found = []

    def walk(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry.url_patterns)
                continue
            view = getattr(entry.callback, "cls", None)
            for serializer in getattr(view, "input_serializers", {}).values():
                found.append(serializer)

    walk(get_resolver().url_patterns)
    assert len(found) > 20
    assert [s.__name__ for s in found if not issubclass(s, StrictInputMixin)] == []
