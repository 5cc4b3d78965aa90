"""Signing outbound payloads, and the check a receiver runs (pure: no Django).

The signature is HMAC-SHA256, keyed with the endpoint's secret, over the timestamp, a dot
and the raw body: ``hex(hmac(secret, f"{timestamp}.{body}"))``. It is sent as
``X-Flywheel-Signature: sha256=<hex>`` with ``X-Flywheel-Timestamp: <unix seconds>``. A
receiver recomputes it over the bytes it received and refuses a timestamp more than
``REPLAY_WINDOW_SECONDS`` away from its own clock, so a captured request cannot be replayed
later.
"""

import hashlib
import hmac

REPLAY_WINDOW_SECONDS = 300
SIGNATURE_HEADER = "X-Flywheel-Signature"
TIMESTAMP_HEADER = "X-Flywheel-Timestamp"


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The header value for a body sent at ``timestamp``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    signature_header: str,
    now: float,
    window: int = REPLAY_WINDOW_SECONDS,
) -> bool:
    """What a receiver checks: the signature matches and the timestamp is within the window."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - sent_at) > window:
        return False
    expected = signature(secret=secret, timestamp=sent_at, body=body)
    return hmac.compare_digest(expected, signature_header or "")
