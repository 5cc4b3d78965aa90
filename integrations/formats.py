"""What each kind of endpoint receives for an event payload (pure: data in, JSON out).

Signed JSON endpoints get the payload itself. Slack and Microsoft Teams get a readable
message: the title, what happened, who acted, and a link back to Flywheel. Every piece of
text a person wrote (a title, a rationale, a name) reaches the platform as text:

- Slack (Block Kit): in mrkdwn ``&``, ``<`` and ``>`` are control characters; Slack's
  formatting reference says to replace them with ``&amp;``, ``&lt;`` and ``&gt;`` and only
  these. Escaped, no user text can form ``<!channel>``, ``<@U…>`` or ``<http://…|…>``; the
  text objects are also ``verbatim``, so Slack does not turn bare URLs or channel names in
  it into links. The only ``<…>`` left in a message is the link to Flywheel.
- Teams (Workflows, Adaptive Card 1.5): user text goes into ``TextRun`` inlines of a
  ``RichTextBlock``, where the card schema says Markdown is not supported (a ``TextBlock``
  would read ``**bold**`` and ``[text](url)``); ``{{`` is broken so no date function runs.

Sources: tests/corpus/slack/NOTES.md and tests/corpus/teams/NOTES.md.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from core.text import printable_deep
from integrations.models import EndpointKind

SLACK_SECTION_MAX = 3000  # characters of a section's text (Block Kit reference)
SLACK_CONTEXT_MAX = 2000  # characters of a context element's text
SLACK_FALLBACK_MAX = 4000  # the top-level text shown in notifications
OPEN_LABEL = gettext_lazy("Open in Flywheel")
ADAPTIVE_CARD_VERSION = "1.5"
ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

ACTED = {
    "decision_made": gettext_lazy("Decided by %(who)s"),
    "vote_cast": gettext_lazy("Vote cast by %(who)s"),
    "review_requested": gettext_lazy("Requested by %(who)s"),
    "use_case_transitioned": gettext_lazy("Moved by %(who)s"),
    "sign_off_requested": gettext_lazy("Requested by %(who)s"),
    "signed_off": gettext_lazy("Signed by %(who)s"),
}


def slack_escape(text: str) -> str:
    """Slack's documented escaping: &, < and > as HTML entities, nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_fit(text: str, limit: int, *, prefix: str = "", suffix: str = "") -> str:
    """``prefix + escaped text + suffix`` within ``limit`` characters: the text is cut
    before it is escaped (never inside an entity) and ends with an ellipsis when cut."""
    room = limit - len(prefix) - len(suffix)
    escaped = slack_escape(text)
    if len(escaped) > room:
        kept, used = [], 0
        for character in text:
            piece = slack_escape(character)
            if used + len(piece) > room - 1:
                break
            kept.append(piece)
            used += len(piece)
        escaped = "".join(kept) + "…"
    return prefix + escaped + suffix


def actor_line(payload: dict) -> str:
    """ "Decided by Ada Lovelace", or the system when nobody acted (a scheduled sweep)."""
    actor = payload.get("actor")
    who = actor["name"] if actor else _("Flywheel (scheduled)")
    return ACTED.get(payload["type"], gettext_lazy("By %(who)s")) % {"who": who}


def slack_message(payload: dict) -> dict:
    """A Slack incoming-webhook message in Block Kit: title and summary, who acted, a
    button and a link to the page. ``text`` is the notification's fallback (escaped too)."""
    payload = printable_deep(payload)
    link = slack_escape(payload["link"])
    blocks = [
        SectionBlock(
            text=MarkdownTextObject(
                text=_slack_fit(payload["title"], SLACK_SECTION_MAX, prefix="*", suffix="*"),
                verbatim=True,
            )
        ),
        SectionBlock(
            text=MarkdownTextObject(
                text=_slack_fit(payload["summary"], SLACK_SECTION_MAX) or " ", verbatim=True
            )
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_slack_fit(
                        actor_line(payload), SLACK_CONTEXT_MAX, suffix=f" · <{link}|{OPEN_LABEL}>"
                    ),
                    verbatim=True,
                )
            ]
        ),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=PlainTextObject(text=str(OPEN_LABEL), emoji=False),
                    url=payload["link"],
                    action_id="open_in_flywheel",
                )
            ]
        ),
    ]
    return {
        "text": _slack_fit(f"{payload['title']}: {payload['summary']}", SLACK_FALLBACK_MAX),
        "blocks": [block.to_dict() for block in blocks],
    }


def teams_text(text: str) -> str:
    """User text for a TextRun: no Markdown is read there; ``{{`` would start a date
    function, so a zero-width space parts the braces."""
    return text.replace("{{", "{\u200b{")


def _run(text: str, **style) -> dict:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def teams_message(payload: dict) -> dict:
    """A Teams Workflows message: one Adaptive Card (1.5) with the title, the summary, who
    acted and a button to the page."""
    payload = printable_deep(payload)
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "body": [
            _run(teams_text(payload["title"]), weight="Bolder", size="Medium"),
            _run(teams_text(payload["summary"])),
            _run(teams_text(actor_line(payload)), isSubtle=True),
        ],
        "actions": [{"type": "Action.OpenUrl", "title": str(OPEN_LABEL), "url": payload["link"]}],
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "contentUrl": None, "content": card}
        ],
    }


def body_for(kind: str, payload: dict) -> dict:
    """The JSON document an endpoint of ``kind`` receives (text made printable). A chat
    message is written in the site's language (FLYWHEEL_LANGUAGE), as its title was."""
    with translation.override(settings.LANGUAGE_CODE):
        if kind == EndpointKind.SLACK:
            return slack_message(payload)
        if kind == EndpointKind.TEAMS:
            return teams_message(payload)
    return printable_deep(payload)
