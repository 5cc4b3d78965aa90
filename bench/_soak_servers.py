"""The soak's own servers on loopback ports: a PostgreSQL (initdb into the work folder), a
Redis, two gunicorn web servers, three Celery workers and two beats under `manage.py
run_jobs`, and a receiver for the webhook deliveries that counts each delivery id."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def request(port: int, path: str, token: str = "", method="GET", body=None):
    """One HTTP call: (status, parsed JSON) or ("connection: <error>", None)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    call = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError) as error:
        return f"connection: {type(error).__name__}", None


class Receiver:
    """A webhook receiver answering 204 and counting every delivery id it is sent."""

    def __init__(self, port: int):
        self.received: Counter = Counter()
        received, lock = self.received, threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    received[self.headers.get("X-Flywheel-Delivery", "")] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


class Servers:
    def __init__(self, port: int, folder: Path):
        self.folder = folder
        self.pg_port, self.redis_port, self.web_ports = port, port + 1, [port + 2, port + 3]
        self.receiver = Receiver(port + 4)
        self.pgdata = folder / "pg"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/soak",
            "DATABASE_CONNECT_TIMEOUT": "2",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_REDBEAT_KEY_PREFIX": "soak:redbeat:",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "INFO",
            "SOAK_RECEIVER_URL": self.receiver.url,
        }

    def postgres_start(self) -> None:
        options = f"-p {self.pg_port} -k {self.folder} -c listen_addresses=127.0.0.1"
        command = ["pg_ctl", "-D", str(self.pgdata), "-l", str(self.folder / "pg.log")]
        subprocess.run(
            as_postgres([*command, "-w", "-o", options, "start"]), check=True, capture_output=True
        )

    def postgres_stop(self) -> None:
        subprocess.run(
            as_postgres(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def redis_start(self) -> None:
        options = {
            "port": str(self.redis_port),
            "bind": "127.0.0.1",
            "save": "",
            "appendonly": "no",
            "daemonize": "yes",
            "dir": str(self.folder),
            "logfile": str(self.folder / "redis.log"),
        }
        subprocess.run(
            ["redis-server", *[part for k, v in options.items() for part in (f"--{k}", v)]],
            check=True,
        )
        time.sleep(0.5)

    def redis_stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"],
            check=False,
            capture_output=True,
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def shell_json(self, script: str) -> dict:
        """Run a script in `manage.py shell` and read the JSON line it prints last."""
        lines = self.manage("shell", "-c", script).splitlines()
        return json.loads(next(ln for ln in lines[::-1] if ln.startswith("{")))

    def spawn(self, name: str, command: list[str]) -> None:
        out = (self.folder / f"{name}.log").open("a")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def web_start(self, n: int) -> None:
        self.spawn(
            f"web{n}",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.web_ports[n]}",
                "--workers=1",
                "--threads=4",
                "--worker-class=gthread",
                "--timeout=60",
            ],
        )

    def web_wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        for port in self.web_ports:
            while request(port, "/health/")[0] != 200:
                if time.monotonic() > deadline:
                    raise SystemExit(f"web on {port} did not start")
                time.sleep(0.5)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        subprocess.run(
            as_postgres(["initdb", "-D", str(self.pgdata), "-U", "postgres", "-A", "trust"]),
            check=True,
            capture_output=True,
        )
        self.postgres_start()
        subprocess.run(
            as_postgres(["createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "soak"]),
            check=True,
        )
        self.redis_start()
        self.manage("migrate", "--noinput")

    def jobs_start(self) -> None:
        for n in range(len(self.web_ports)):
            self.web_start(n)
        for n in range(3):
            self.spawn(
                f"worker{n}",
                [
                    PYTHON,
                    "manage.py",
                    "run_jobs",
                    "--worker",
                    "--concurrency=1",
                    f"--hostname=w{n}@soak",
                ],
            )
        for n in range(2):
            self.spawn(f"beat{n}", [PYTHON, "manage.py", "run_jobs", "--beat"])
        self.web_wait()

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
        self.redis_stop()
        self.postgres_stop()
        self.receiver.close()

    def web_rss(self) -> dict[str, int]:
        """RSS (KiB) of each gunicorn worker (the children of the masters)."""
        sizes = {}
        for name in (f"web{n}" for n in range(len(self.web_ports))):
            children = subprocess.run(
                ["pgrep", "-P", str(self.processes[name].pid)], capture_output=True, text=True
            ).stdout.split()
            for pid in children:
                with contextlib.suppress(OSError):
                    status = Path(f"/proc/{pid}/status").read_text()
                    sizes[f"{name}:{pid}"] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return sizes

    def kill_a_worker(self, n: int) -> None:
        supervisor = self.processes[f"worker{n}"].pid
        for pid in subprocess.run(
            ["pgrep", "-P", str(supervisor)], capture_output=True, text=True
        ).stdout.split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        log(f"killed worker {n} (its celery process; the supervisor starts it again)")

    def kill_a_web_server(self, n: int, down: float) -> None:
        """SIGKILL a gunicorn master and its worker (what a crash or an OOM kill does), then
        start it again after ``down`` seconds, as its systemd unit (Restart=always) would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[f"web{n}"].pid, signal.SIGKILL)
        self.processes[f"web{n}"].wait()
        log(f"killed web server {n}")
        time.sleep(down)
        self.web_start(n)
        self.web_wait()
        log(f"web server {n} started again")
