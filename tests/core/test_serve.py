"""`manage.py serve` (what `make run` runs): gunicorn with gthread workers and a listen backlog
that takes a burst of connections at once (Django's runserver listens with a backlog of 10:
the rest wait on SYN retries of 1, 3, 7... seconds). Served live, with a burst of 200
connections and Ctrl-C, in tests/core/test_embedded_load.py."""

import io
import sys

import pytest
from django.core.management import call_command

from console.management.commands import serve
from console.management.commands.serve import BACKLOG, web_command


def test_the_web_is_gunicorn_with_threads_and_a_large_backlog():
    command = web_command(python="python", host="127.0.0.1", port="9000", workers=2, threads=8)

    assert command[1:4] == ["-m", "gunicorn", "config.wsgi:application"]
    for option in ("--bind=127.0.0.1:9000", "--worker-class=gthread", "--workers=2"):
        assert option in command
    assert "--threads=8" in command
    assert f"--backlog={BACKLOG}" in command and BACKLOG >= 1024


def test_where_gunicorn_cannot_run_the_web_is_runserver(monkeypatch):
    monkeypatch.setitem(sys.modules, "fcntl", None)  # as on Windows

    command = web_command(python="python", host="127.0.0.1", port="9000", workers=2, threads=8)

    assert command == ["python", "manage.py", "runserver", "127.0.0.1:9000", "--noreload"]


def test_a_worker_or_beat_that_exits_is_started_again_until_the_web_stops(monkeypatch):
    monkeypatch.setattr(serve, "RESTART_PAUSE", 0.1)
    web = serve.Child("web", [sys.executable, "-c", "import time; time.sleep(1.5)"], False)
    worker = serve.Child("worker", [sys.executable, "-c", "raise SystemExit(3)"], True)
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    for child in (web, worker):
        child.start()

    code = serve.supervise([web, worker], command.stderr.write)

    assert code == 1  # the web stopping by itself is a failure of the whole
    assert len(worker.started) >= 2
    assert "The Celery worker exited (3); restarting it." in command.stderr._out.getvalue()


def _serve_and_read_site_url(monkeypatch, tmp_path, *args) -> str:
    """Run `serve` with a web child that writes the FLYWHEEL_SITE_URL it inherited."""
    seen = tmp_path / "site-url"
    script = "import os, sys; open(sys.argv[1], 'w').write(os.environ['FLYWHEEL_SITE_URL'])"
    monkeypatch.setattr(
        serve, "web_command", lambda **kw: [sys.executable, "-c", script, str(seen)]
    )
    monkeypatch.setattr(serve.settings, "CELERY_TASK_ALWAYS_EAGER", True)
    # serve sets the in-process setting too: undone after the test.
    monkeypatch.setattr(serve.settings, "FLYWHEEL_SITE_URL", serve.settings.FLYWHEEL_SITE_URL)
    with pytest.raises(SystemExit):  # the web child exits at once: serve stops with it
        call_command("serve", *args, stdout=io.StringIO(), stderr=io.StringIO())
    return seen.read_text()


@pytest.mark.django_db
def test_links_follow_the_port_serve_runs_on_when_no_site_url_is_set(monkeypatch, tmp_path):
    monkeypatch.delenv("FLYWHEEL_SITE_URL", raising=False)
    assert _serve_and_read_site_url(monkeypatch, tmp_path, "--port", "8243") == (
        "http://127.0.0.1:8243"
    )
    monkeypatch.delenv("FLYWHEEL_SITE_URL", raising=False)
    assert (
        _serve_and_read_site_url(monkeypatch, tmp_path, "--host", "0.0.0.0", "--port", "8244")
        == "http://127.0.0.1:8244"
    )


@pytest.mark.django_db
def test_a_configured_site_url_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("FLYWHEEL_SITE_URL", "https://flywheel.example.com")
    assert _serve_and_read_site_url(monkeypatch, tmp_path, "--port", "8245") == (
        "https://flywheel.example.com"
    )
    assert serve.site_url_follow(host="::", port="8246", environ={}) == "http://[::1]:8246"
