"""A database that does not answer: 503 in the error format (API) or a plain page (web), with
Retry-After, never a 500; the service recovers by itself when the database answers again."""

import json

import pytest
from django.conf import settings

from tests.support.servers import Relay, Served

pytestmark = pytest.mark.services

ERROR_TOKEN = {"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"}
SESSION = {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}


def check_unavailable(server):
    status, headers, body = server.get("/api/use-cases/", ERROR_TOKEN)
    assert status == 503, body[:500]
    assert headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "5"
    assert json.loads(body)["code"] == "database_unavailable"

    status, headers, body = server.get("/department/", SESSION)
    assert status == 503, body[:500]
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Retry-After"] == "5"
    assert b"database is not answering" in body

    status, _, body = server.get("/health/")
    assert status == 503
    assert json.loads(body)["down"] == ["database"]


def test_postgresql_that_does_not_answer_gives_503_then_recovers(require_postgres):
    database = settings.DATABASES["default"]
    relay = Relay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    name = database["NAME"]  # the test database, which the suite has migrated
    url = f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{name}"
    server = Served({"DATABASE_URL": url, "DATABASE_CONNECT_TIMEOUT": "1"})
    try:
        check_unavailable(server)

        relay.answering = True
        status, _, body = server.get("/health/")
        assert status == 200, body
        status, _, body = server.get("/api/use-cases/", ERROR_TOKEN)
        assert status == 401
        assert json.loads(body)["code"] == "authentication_failed"
    finally:
        server.stop()
        relay.close()


def test_an_sqlite_file_that_cannot_be_opened_gives_503(tmp_path):
    missing = tmp_path / "no-such-directory" / "flywheel.sqlite3"
    server = Served({"SQLITE_PATH": str(missing)})
    try:
        check_unavailable(server)
    finally:
        server.stop()
