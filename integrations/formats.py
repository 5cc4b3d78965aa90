"""What each kind of endpoint receives for an event payload (pure: data in, JSON out).

Signed JSON endpoints get the payload itself; Slack and Microsoft Teams incoming webhooks
get a readable message: the title, what happened, and a link to the page.
"""

from integrations.models import EndpointKind


def slack_message(payload: dict) -> dict:
    """A Slack incoming-webhook message (text for notifications, one section block)."""
    text = f"*{payload['title']}*\n{payload['summary']}\n<{payload['link']}|Open in Flywheel>"
    return {
        "text": f"{payload['title']}: {payload['summary']}",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def teams_message(payload: dict) -> dict:
    """A Microsoft Teams incoming-webhook message card with a button to the page."""
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": payload["title"],
        "themeColor": "0B6E4F",
        "title": payload["title"],
        "text": payload["summary"],
        "potentialAction": [
            {
                "@type": "OpenUri",
                "name": "Open in Flywheel",
                "targets": [{"os": "default", "uri": payload["link"]}],
            }
        ],
    }


def body_for(kind: str, payload: dict) -> dict:
    """The JSON document an endpoint of ``kind`` receives."""
    if kind == EndpointKind.SLACK:
        return slack_message(payload)
    if kind == EndpointKind.TEAMS:
        return teams_message(payload)
    return payload
