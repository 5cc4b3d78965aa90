"""Serve Flywheel: the web app, and with a broker configured a Celery worker and one beat.

The web runs in gunicorn (gthread workers: a few processes, each with threads for a team's
concurrent requests) with a listen backlog of BACKLOG, so a burst of connections queues
instead of waiting on SYN retries behind Django's runserver backlog of 10. Where gunicorn
cannot run (Windows) it falls back to runserver. The worker and the beat are supervised: one
that exits is started again; the web exiting, Ctrl-C or SIGTERM stops everything, each child
once, gracefully.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand

from console.demo.story import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_shown

BACKLOG = 2048
# Seconds between restarts of a worker or beat that keeps exiting.
RESTART_PAUSE = 5
STOP_SECONDS = 10


def site_url_follow(*, host: str, port: str, environ=os.environ) -> str:
    """FLYWHEEL_SITE_URL (the links in messages, webhooks and e-mails) for the web, the worker
    and the beat: as configured, or else the address this command serves on (a wildcard
    host is reached on the loopback address)."""
    if not environ.get("FLYWHEEL_SITE_URL"):
        shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
        if ":" in shown:
            shown = f"[{shown}]"
        environ["FLYWHEEL_SITE_URL"] = f"http://{shown}:{port}"
    return environ["FLYWHEEL_SITE_URL"]


def gunicorn_runs_here() -> bool:
    try:
        import fcntl  # noqa: F401  (gunicorn is POSIX-only)

        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def web_command(*, python: str, host: str, port: str, workers: int, threads: int) -> list[str]:
    if not gunicorn_runs_here():
        return [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"]
    return [
        python,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind={host}:{port}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--backlog={BACKLOG}",
        # SQLite writers wait up to 20 s for the lock (settings); a request is not cut first.
        "--timeout=60",
        f"--graceful-timeout={STOP_SECONDS}",
        "--access-logfile=-",
        *_no_control_socket(),
    ]


def _no_control_socket() -> list[str]:
    """gunicorn 27 opens a control socket at one path per user (~/.gunicorn); two instances
    on a host would share it, and nothing here uses it."""
    import gunicorn

    return ["--no-control-socket"] if gunicorn.version_info >= (27,) else []


@dataclass
class Child:
    name: str
    command: list[str]
    restart: bool
    process: subprocess.Popen | None = None
    started: list[float] = field(default_factory=list)

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches this command only, which stops each child once,
        # in order (gunicorn hit by the terminal's SIGINT and then by a stop signal could
        # leave a worker to be killed after the graceful timeout).
        self.process = subprocess.Popen(self.command, start_new_session=True)
        self.started.append(time.monotonic())

    def exited(self) -> int | None:
        return self.process.poll() if self.process else None


class Stop(Exception):
    """SIGTERM, handled as Ctrl-C."""


def _raise_stop(signum, frame):
    raise Stop


class Command(BaseCommand):
    help = "Run the web server; with CELERY_BROKER_URL/REDIS_URL set, also a worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("FLYWHEEL_WEB_WORKERS", "2")),
            help="Web processes (FLYWHEEL_WEB_WORKERS, default 2).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("FLYWHEEL_WEB_THREADS", "8")),
            help="Threads per web process (FLYWHEEL_WEB_THREADS, default 8).",
        )

    def handle(self, *args, host, port, workers, threads, **options):
        python = sys.executable
        # The children inherit it (and read it through the settings).
        settings.FLYWHEEL_SITE_URL = site_url_follow(host=host, port=port)
        eager = settings.CELERY_TASK_ALWAYS_EAGER
        web = Child(
            "web",
            web_command(python=python, host=host, port=port, workers=workers, threads=threads),
            restart=False,
        )
        self._banner(host, port, eager, web.command, workers, threads)
        children = [web]
        if not eager:
            celery = [python, "-m", "celery", "-A", "config"]
            children.append(Child("worker", [*celery, "worker", "--loglevel=INFO"], True))
            # celery-redbeat (CELERY_BEAT_SCHEDULER): the schedule and the one-beat lock
            # live in Redis, no schedule file is shared between instances.
            children.append(Child("beat", [*celery, "beat", "--loglevel=INFO"], True))
        previous = signal.signal(signal.SIGTERM, _raise_stop)
        code = 0
        try:
            for child in children:
                child.start()
            code = supervise(children, self.stderr.write)
        except (KeyboardInterrupt, Stop):
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            _stop(children)
            self.stdout.write("Flywheel stopped.")
        if code:
            sys.exit(code)

    def _banner(self, host, port, eager, command, workers, threads) -> None:
        url = f"http://{host}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"\nFlywheel is starting on {url}"))
        self.stdout.write(f"  admin and executive dashboard: {url}admin/")
        self.stdout.write(f"  API docs: {url}api/docs/   health: {url}health/")
        if demo_logins_shown():
            self.stdout.write(f"  demo logins (password '{DEMO_PASSWORD}'):")
            for username, role in DEMO_LOGINS:
                self.stdout.write(f"    {username:<13} {role}")
        self.stdout.write(
            f"  logins lock for {settings.AXES_COOLOFF_TIME:g} h after"
            f" {settings.AXES_FAILURE_LIMIT} failed attempts (django-axes)"
        )
        self.stdout.write(
            f"  web: gunicorn (workers {workers}, threads {threads}, backlog {BACKLOG})"
            if "gunicorn" in command
            else "  web: Django's runserver (gunicorn does not run on this system)"
        )
        self.stdout.write(
            "  jobs: eager, in-process (no broker configured)"
            if eager
            else "  jobs: Celery worker and beat on the configured broker (restarted if they exit)"
        )
        self.stdout.write("  stop with Ctrl-C\n")


def supervise(children: list[Child], say) -> int:
    """Until a child that is not restarted (the web) exits: start again a worker or beat
    that exited (not more often than every RESTART_PAUSE seconds). Returns that child's
    exit code; with only restarted children, runs until interrupted."""
    while True:
        for child in children:
            code = child.exited()
            if code is None:
                continue
            if not child.restart:
                say(f"The {child.name} server exited ({code}); stopping.")
                return code or 1
            if time.monotonic() - child.started[-1] >= RESTART_PAUSE:
                say(f"The Celery {child.name} exited ({code}); restarting it.")
                child.start()
        time.sleep(0.5)


def _stop(children: list[Child]) -> None:
    """SIGTERM to each child still running: gunicorn finishes the requests in flight (for
    up to STOP_SECONDS), a Celery worker the jobs it runs; then they are killed."""
    running = [c.process for c in children if c.process and c.process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=STOP_SECONDS + 5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
