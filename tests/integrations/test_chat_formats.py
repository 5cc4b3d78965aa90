"""Slack and Teams messages against the platforms' published contracts: Slack's documented
escaping and the Block Kit models of its SDK, the Adaptive Card 1.5 JSON Schema in the
Workflows envelope (sources: tests/corpus/slack/NOTES.md, tests/corpus/teams/NOTES.md).
Driven by a real board decision whose rationale tries to ping the channel and plant a link."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from slack_sdk.models.blocks import Block

from integrations import formats
from integrations.models import EndpointKind
from tests.support.receiver import endpoint_for

CARD_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "corpus" / "teams" / "adaptive-card-1.5.json").read_text()
)
CARD = jsonschema.validators.validator_for(CARD_SCHEMA)(CARD_SCHEMA)
RATIONALE = "Accepted <!channel> & see <http://evil.example|the docs>, ping <@U024BE7LH>"
# Slack's control sequences (corpus NOTES): any "<" Slack reads as the start of one.
CONTROL_SEQUENCE = re.compile(r"<[^>]*>")


def payload(**fields) -> dict:
    return {
        "id": "7c1d0a9e-0000-4000-8000-000000000001",
        "type": "decision_made",
        "version": 1,
        "actor": {"id": 3, "username": "chair", "name": "Grace <!here> Hopper"},
        "occurred_at": "2026-12-07T17:00:00+00:00",
        "title": "G1 decision: Go for Claims *triage* & co",
        "summary": RATIONALE,
        "link": "http://127.0.0.1:8240/reviews/9/",
        "department_id": 1,
        "board_id": 1,
        "data": {},
        **fields,
    }


def mrkdwn_texts(message: dict) -> list[str]:
    texts = [message["text"]]
    for block in message["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return texts


def test_slack_escaping_is_the_documented_one():
    # Slack's own example (corpus NOTES): "Hello & <world>" is sent as below; only & < >.
    assert formats.slack_escape("Hello & <world>") == "Hello &amp; &lt;world&gt;"
    assert formats.slack_escape('"quotes" *stay*') == '"quotes" *stay*'


def test_no_user_text_forms_a_mention_a_ping_or_a_link_on_slack():
    message = formats.slack_message(payload())

    sequences = [s for text in mrkdwn_texts(message) for s in CONTROL_SEQUENCE.findall(text)]
    # The one control sequence of the message is Flywheel's own link.
    assert sequences == ["<http://127.0.0.1:8240/reviews/9/|Open in Flywheel>"]
    assert message["blocks"][1]["text"]["text"] == (
        "Accepted &lt;!channel&gt; &amp; see &lt;http://evil.example|the docs&gt;, "
        "ping &lt;@U024BE7LH&gt;"
    )
    assert message["blocks"][2]["elements"][0]["text"].startswith(
        "Decided by Grace &lt;!here&gt; Hopper · "
    )
    # Every mrkdwn object skips Slack's link and mention preprocessing.
    assert all(
        obj.get("verbatim") is True
        for block in message["blocks"]
        for obj in [block.get("text") or {}, *block.get("elements", [])]
        if obj.get("type") == "mrkdwn"
    )
    # The button leads back to Flywheel; the blocks parse back with the SDK's models.
    assert message["blocks"][3]["elements"][0]["url"] == "http://127.0.0.1:8240/reviews/9/"
    assert [Block.parse(b).to_dict() for b in message["blocks"]] == message["blocks"]


def test_a_long_rationale_is_cut_to_slack_limits_not_inside_an_entity():
    message = formats.slack_message(payload(summary="&" * 5000))
    text = message["blocks"][1]["text"]["text"]
    # 3000 characters at most: 599 "&amp;" (2995 characters) and the ellipsis.
    assert text == "&amp;" * 599 + "…"
    assert len(message["text"]) <= 4000


def test_teams_cards_hold_against_the_adaptive_card_schema():
    message = formats.teams_message(
        payload(
            summary="**bold** [docs](http://evil.example) {{DATE(2017-02-14T06:08:39Z, SHORT)}}"
        )
    )

    assert message["type"] == "message"
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert list(CARD.iter_errors(card)) == []
    # User text only in TextRuns, where Markdown is not read; no TextBlock at all.
    assert all(element["type"] == "RichTextBlock" for element in card["body"])
    runs = [run["text"] for element in card["body"] for run in element["inlines"]]
    assert runs == [
        "G1 decision: Go for Claims *triage* & co",
        "**bold** [docs](http://evil.example) {\u200b{DATE(2017-02-14T06:08:39Z, SHORT)}}",
        "Decided by Grace <!here> Hopper",
    ]
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open in Flywheel", "url": payload()["link"]}
    ]


def test_the_schema_refuses_what_teams_would_refuse():
    # The validator can fail: a MessageCard field or an unknown element breaks the schema.
    card = formats.teams_message(payload())["attachments"][0]["content"]
    assert list(CARD.iter_errors({**card, "themeColor": "0B6E4F"}))
    assert list(CARD.iter_errors({**card, "body": [{"type": "TextBlok", "text": "x"}]}))


def test_control_characters_never_reach_a_chat():
    message = formats.slack_message(payload(title="Claims\x0btriage", summary="a\x00b"))
    assert message["blocks"][0]["text"]["text"] == "*Claims\ufffdtriage*"
    card = formats.teams_message(payload(title="Claims\x0btriage"))
    assert card["attachments"][0]["content"]["body"][0]["inlines"][0]["text"] == (
        "Claims\ufffdtriage"
    )


@pytest.mark.django_db
def test_a_real_decision_reaches_slack_and_teams_as_text(
    receiver, fast_webhooks, django_capture_on_commit_callbacks, board_flow, chair
):
    endpoint_for(receiver, name="slack", kind=EndpointKind.SLACK, event_types=["decision_made"])
    endpoint_for(receiver, name="teams", kind=EndpointKind.TEAMS, event_types=["decision_made"])
    with django_capture_on_commit_callbacks(execute=True):
        review = board_flow(RATIONALE)

    bodies = {("blocks" in r.json): r.json for r in receiver.wait_for(2)}
    slack, teams = bodies[True], bodies[False]
    link = f"http://127.0.0.1:8000/reviews/{review.pk}/"
    sequences = [s for text in mrkdwn_texts(slack) for s in CONTROL_SEQUENCE.findall(text)]
    assert sequences == [f"<{link}|Open in Flywheel>"]
    assert "&lt;!channel&gt; &amp;" in slack["blocks"][1]["text"]["text"]
    chair_name = chair.get_full_name() or chair.get_username()
    assert slack["blocks"][2]["elements"][0]["text"].startswith(f"Decided by {chair_name} · ")
    card = teams["attachments"][0]["content"]
    assert list(CARD.iter_errors(card)) == []
    assert card["body"][1]["inlines"][0]["text"] == RATIONALE
    assert card["body"][2]["inlines"][0]["text"] == f"Decided by {chair_name}"
    assert card["actions"][0]["url"] == link
