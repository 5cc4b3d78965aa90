"""The receiver's check (integrations.signing.verify) pinned: a bad timestamp, the replay
window one second either side, a wrong or missing signature. The signature itself is checked
against HMAC-SHA256 computed here by the standard library, as the docs tell a receiver to."""

import hashlib
import hmac

import pytest

from integrations.signing import REPLAY_WINDOW_SECONDS, signature, verify

SECRET, BODY, SENT = "s3cret", b'{"event":"use_case.moved"}', 1_765_000_000


def signed(timestamp=SENT, body=BODY, secret=SECRET) -> str:
    return signature(secret=secret, timestamp=timestamp, body=body)


def check(*, timestamp=str(SENT), header=None, now=SENT, body=BODY, **kwargs) -> bool:
    header = signed() if header is None else header
    return verify(
        secret=SECRET, timestamp=timestamp, body=body, signature_header=header, now=now, **kwargs
    )


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(b"s3cret", b"1765000000." + BODY, hashlib.sha256).hexdigest()
    assert signed() == f"sha256={expected}"


def test_a_fresh_request_signed_with_the_secret_passes():
    assert check() is True


@pytest.mark.parametrize("timestamp", ["", "soon", "1765000000.5", None, "12e3"])
def test_a_bad_webhook_timestamp_is_refused(timestamp):
    assert check(timestamp=timestamp) is False


def test_a_timestamp_with_spaces_is_still_the_number_it_spells():
    assert check(timestamp=f" {SENT} ") is True


def test_the_replay_window_holds_one_second_either_side():
    window = REPLAY_WINDOW_SECONDS
    assert window == 300
    assert check(now=SENT + window) is True
    assert check(now=SENT + window + 1) is False
    assert check(now=SENT - window) is True
    assert check(now=SENT - window - 1) is False
    assert check(now=SENT + 10, window=10) is True
    assert check(now=SENT + 11, window=10) is False


def test_a_wrong_missing_or_other_secret_signature_is_refused():
    assert check(header="") is False
    assert check(header=signed(secret="other")) is False
    assert check(header=signed(timestamp=SENT + 1)) is False
    assert check(body=BODY + b" ") is False
    assert (
        verify(secret=SECRET, timestamp=str(SENT), body=BODY, signature_header=None, now=SENT)
        is False
    )
