"""Production settings, served for real: HTTPS redirect (configurable), HSTS, a content
security policy, the proxy header trusted only when configured."""

import pytest

from tests.support.servers import Served

SECRET = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def production(tmp_path, **env):
    return Served(
        {
            "FLYWHEEL_ENV": "production",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "SQLITE_PATH": str(tmp_path / "production.sqlite3"),
            **env,
        }
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = production(tmp_path_factory.mktemp("production"))
    yield server
    server.stop()


def test_plain_http_is_redirected_to_https_except_the_health_check(served):
    status, headers, _ = served.get("/api/use-cases/")
    health, _, _ = served.get("/health/")

    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{served.port}/api/use-cases/"
    assert health in (200, 503)


def test_https_answers_carry_hsts_and_a_content_security_policy(served):
    status, headers, _ = served.get("/api/use-cases/", {"X-Forwarded-Proto": "https"})

    assert status == 401
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_proxy_header_is_ignored_unless_configured_and_the_redirect_can_be_off(tmp_path):
    untrusted = production(tmp_path, DJANGO_SECURE_PROXY_SSL_HEADER="")
    no_redirect = production(tmp_path, DJANGO_SECURE_SSL_REDIRECT="false")
    try:
        forged, _, _ = untrusted.get("/api/use-cases/", {"X-Forwarded-Proto": "https"})
        plain, headers, _ = no_redirect.get("/api/use-cases/")
    finally:
        untrusted.stop()
        no_redirect.stop()

    assert forged == 301
    assert plain == 401
    assert "Strict-Transport-Security" not in headers  # HSTS is sent over HTTPS only


def test_development_sends_the_policy_too_and_no_hsts(client, db):
    response = client.get("/api/use-cases/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not response.has_header("Strict-Transport-Security")
