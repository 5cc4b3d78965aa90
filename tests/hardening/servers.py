"""Flywheel served by a child process on a loopback port, with the environment a test gives it
(a database that does not answer, production settings), and a TCP relay that can go silent."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
