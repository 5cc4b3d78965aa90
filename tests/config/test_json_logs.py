"""LOG_FORMAT=json: every log line is one JSON object (ours and the libraries' alike)."""

import json
import os
import subprocess
import sys

from tests.support.servers import ROOT, Served

SCRIPT = """
import logging, django
django.setup()
logging.getLogger("core.jobs").warning("broker unavailable, %s recorded", "a task")
"""


def test_json_log_lines_carry_level_logger_and_event():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "json"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )

    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    (ours,) = [line for line in lines if line.get("logger") == "core.jobs"]
    assert ours["level"] == "warning"
    assert ours["event"] == "broker unavailable, a task recorded"
    assert ours["timestamp"].endswith("Z")


def test_a_served_request_logs_json_with_its_request_id(tmp_path):
    server = Served({"LOG_FORMAT": "json", "SQLITE_PATH": str(tmp_path / "logs.sqlite3")})
    try:
        status, _, _ = server.get("/api/no-such-endpoint/")
    finally:
        log = server.stop()

    assert status == 404
    events = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    finished = [e for e in events if e.get("event") == "request_finished"]
    assert finished, log[-2000:]
    assert finished[0]["request_id"]
    assert finished[0]["code"] == 404
