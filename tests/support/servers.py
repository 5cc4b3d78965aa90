"""Flywheel served by a child process on a loopback port, with the environment a test gives it
(a database that does not answer, production settings), and a TCP relay that can go silent."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parent.parent.parent

SERVE = """
import os, sys
from wsgiref.simple_server import WSGIRequestHandler, make_server
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer

class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # as a production server's listen backlog, not wsgiref's 5

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

from config.wsgi import application
make_server("127.0.0.1", int(sys.argv[1]), application, server_class=Server,
            handler_class=Quiet).serve_forever()
"""


def embedded_env(database) -> dict:
    """The environment of the embedded default: SQLite at ``database``, no broker, none of
    the test run's settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "FLYWHEEL_", "PYTEST"))
        and key not in ("REDIS_URL", "CELERY_BROKER_URL")
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "SQLITE_PATH": str(database)}


class ServeCommand:
    """`manage.py serve` (what `make run` runs) on the embedded default, in a process group
    of its own with SIGINT at its default, as started from a terminal; its output in a file."""

    def __init__(self, database, log_path, *args: str, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "serve", "--port", str(self.port), *args],
                cwd=ROOT,
                env={**embedded_env(database), **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/health/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError("serve did not answer: " + self.log()[-3000:])

    def log(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C, as a terminal sends it to the whole group; the exit code."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=timeout)

    def group_running(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        """Stop it whatever state it is in. Ctrl-C first: gunicorn and Celery run in sessions
        of their own, and only `serve` stops them (killed, it would leave them running)."""
        if self.process.poll() is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.interrupt()
        if self.group_running():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


class Served:
    def __init__(self, env: dict):
        self.port = free_port()
        full = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL", "FLYWHEEL_", "PYTEST"))
        }
        full.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(self.port)],
            cwd=ROOT,
            env=full,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read().decode()[-3000:]) from None
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def get(self, path: str, headers: dict | None = None, timeout: float = 20):
        """(status, headers, body) of a GET, following no redirect."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out.decode(errors="replace")


class Relay:
    """Accepts TCP connections and, while ``answering``, relays them to ``target``; while
    silent it holds them open and sends nothing (a database that does not answer)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.answering = False
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(50)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.answering:
                self.held.append(client)
                continue
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self):
        self.server.close()
        for sock in self.held:
            sock.close()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    database = tmp_path_factory.mktemp("embedded") / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=embedded_env(database),
        check=True,
        capture_output=True,
    )
    return database
