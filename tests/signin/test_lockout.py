"""The login lockout counts failures wherever the client address comes from (TCP, a Unix
socket with no address, a proxy header behind a configured number of proxies) and limits
password spraying (one try for each of many usernames)."""

import pytest
from django.test import override_settings

from core.lockout import UNKNOWN_ADDRESS, client_address
from tests import factories

pytestmark = pytest.mark.django_db

LOCKOUT = {"AXES_ENABLED": True, "AXES_FAILURE_LIMIT": 3}


def token(client, username, password, **meta):
    return client.post("/api/auth/token/", {"username": username, "password": password}, **meta)


@pytest.fixture
def target():
    user = factories.UserFactory(username="target")
    user.set_password("right-password-1")
    user.save()
    return user


@override_settings(**LOCKOUT)
def test_a_unix_socket_with_no_address_still_counts_failures(client, target):
    first = [token(client, "target", "wrong", REMOTE_ADDR="").status_code for _ in range(3)]

    assert first == [400, 400, 429]
    locked = token(client, "target", "right-password-1", REMOTE_ADDR="")

    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"


@override_settings(**LOCKOUT)
def test_two_failures_on_a_socket_leave_the_right_password_working(client, target):
    for _ in range(2):
        token(client, "target", "wrong", REMOTE_ADDR="")
    assert token(client, "target", "right-password-1", REMOTE_ADDR="").status_code == 200


@override_settings(**LOCKOUT, FLYWHEEL_TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_forwarded_address_is_counted_and_cannot_be_forged(client, target):
    # Each attempt forges a different left-most address; the proxy appended the real one.
    for forged in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        token(
            client,
            "target",
            "wrong",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        )
    locked = token(
        client,
        "target",
        "right-password-1",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    elsewhere = token(
        client,
        "target",
        "right-password-1",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 200


@override_settings(FLYWHEEL_TRUSTED_PROXIES=2)
def test_the_address_is_taken_as_many_hops_from_the_right_as_there_are_proxies(rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3", REMOTE_ADDR="::1")
    assert client_address(request) == "2.2.2.2"
    short = rf.get("/", HTTP_X_FORWARDED_FOR="3.3.3.3", REMOTE_ADDR="10.1.1.1")
    assert client_address(short) == "10.1.1.1"
    assert client_address(rf.get("/", REMOTE_ADDR="")) == UNKNOWN_ADDRESS


@pytest.mark.parametrize(("usernames", "locked"), [(4, False), (5, True)])
def test_spraying_one_password_across_usernames_is_limited(client, usernames, locked):
    with override_settings(**LOCKOUT, FLYWHEEL_SPRAY_LIMIT=5):
        victim = factories.UserFactory(username="victim")
        victim.set_password("right-password-1")
        victim.save()
        for index in range(usernames):
            token(client, f"user-{index}", "Summer2026!", REMOTE_ADDR="198.51.100.9")

        response = token(client, "victim", "right-password-1", REMOTE_ADDR="198.51.100.9")
        other = token(client, "victim", "right-password-1", REMOTE_ADDR="198.51.100.10")

    assert response.status_code == (429 if locked else 200)
    assert other.status_code == 200


@override_settings(**LOCKOUT)
def test_the_web_login_counts_socket_failures_too(client, target):
    for _ in range(3):
        client.post(
            "/accounts/login/",
            {"username": "target", "password": "wrong"},
            REMOTE_ADDR="",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "target", "password": "right-password-1"},
        REMOTE_ADDR="",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
