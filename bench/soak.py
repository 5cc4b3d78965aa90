"""The production shape under faults, on loopback only: a PostgreSQL and a Redis of its own
(initdb into a temporary folder), two web servers (gunicorn), three Celery workers and two
beats (each under `manage.py run_jobs`, the supervisor the systemd units run), and a bounded
mixed load while workers are killed, Redis restarted and PostgreSQL stopped and started.
Then it checks:

- every acknowledged write is stored, once (titles are unique per write);
- no answer was a 500; a 503 only during the database outage;
- no duplicate flag (two open of one kind on one use case) or notification (more flag
  notifications to a person than flags raised for the use case);
- once the jobs have drained, flags and velocity equal a clean recompute (a forced
  recompute writes no row, a sweep raises and clears nothing);
- one beat sent the schedule at a time (no every-minute entry sent twice in one minute);
- work spread over the workers (each ran jobs);
- web memory flat (RSS of the web workers a tenth into the load and at its end).

Not part of the test suite: `make soak` (SOAK_SECONDS, default 180). Needs initdb/pg_ctl and
redis-server on PATH. Ports SOAK_PORT..SOAK_PORT+3 (default 8255: PostgreSQL, Redis, two
web servers).
"""

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SEED = """
import json
from datetime import timedelta
from django.utils import timezone
from portfolio.services import use_case_advance
from portfolio.services.velocity import velocity_recompute
from signin.services.tokens import api_token_create
from tests import factories
from tests.support.velocity import Authorisation
department = factories.DepartmentFactory(name="Soak", slug="soak")
head = factories.head_of(department, username="soak-head")
now = timezone.now()
cases = []
# Submitted three months ago, half of them in pilot since (intake durations of 10 to 19
# days, so some are slower than the one before): velocity rows and flags to keep right.
for n in range(8):
    case = factories.submitted(department, head, title=f"Soak {n}", at=now - timedelta(days=90 - n))
    if n % 2 == 0:
        case = use_case_advance(use_case=case, authorisation=Authorisation(), actor=head,
                                at=now - timedelta(days=80 - 4 * n))
    cases.append(case)
velocity_recompute()
print(json.dumps({
    "token": api_token_create(user=head, name="soak")[1],
    "department": department.pk,
    "use_cases": [u.pk for u in cases],
    "metrics": [m.pk for u in cases for m in u.metrics.all()],
}))
"""

CHECK = """
import json
from collections import Counter
from django.db.models import Count
from portfolio.models import Flag, Notification, UseCase, MetricReading, VelocitySnapshot
from portfolio.services.flags import flags_sweep
from portfolio.services.velocity import velocity_recompute
titles = Counter(UseCase.objects.values_list("title", flat=True))
open_twice = list(Flag.objects.filter(cleared_at=None).values("use_case", "kind")
                  .annotate(n=Count("id")).filter(n__gt=1).values_list("use_case", "kind"))
flags = Counter(Flag.objects.values_list("use_case_id", "kind"))
notes = Counter(Notification.objects.filter(kind="flag_raised")
                .values_list("recipient_id", "use_case_id"))
per_case = Counter()
for (case, kind), n in flags.items():
    per_case[case] += n
too_many = [k for k, n in notes.items() if n > per_case[k[1]]]
before = set(VelocitySnapshot.objects.values_list("scope", "period", "measure", "use_case_id",
                                                  "value", "label"))
recompute = velocity_recompute(force=True)
after = set(VelocitySnapshot.objects.values_list("scope", "period", "measure", "use_case_id",
                                                 "value", "label"))
sweep = flags_sweep()
print(json.dumps({
    "titles": dict(titles),
    "readings": list(MetricReading.objects.values_list("id", flat=True)),
    "open_twice": open_twice,
    "notifications_beyond_flags": len(too_many),
    "flags": sum(flags.values()),
    "velocity_rows": len(before),
    "velocity_changed_by_recompute": len(before ^ after),
    "recompute_rows_written": recompute.duration_rows,
    "sweep_raised": sum(r.raised for r in sweep.values()),
    "sweep_cleared": sum(r.cleared for r in sweep.values()),
}))
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Soak:
    def __init__(self, seconds: float, port: int, clients: int, folder: Path):
        self.seconds, self.clients, self.folder = seconds, clients, folder
        self.pg_port, self.redis_port, self.web_ports = port, port + 1, [port + 2, port + 3]
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
        }
        self.statuses: Counter = Counter()
        self.outage_statuses: Counter = Counter()
        self.created: list[tuple[int, str]] = []
        self.readings: list[int] = []
        self.lock = threading.Lock()
        self.db_down = threading.Event()

    # -- the servers --------------------------------------------------------------------
    def postgres_start(self) -> None:
        subprocess.run(
            as_postgres(
                [
                    "pg_ctl",
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.folder / "pg.log"),
                    "-w",
                    "-o",
                    f"-p {self.pg_port} -k {self.folder} -c listen_addresses=127.0.0.1",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def postgres_stop(self) -> None:
        subprocess.run(
            as_postgres(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def redis_start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.folder),
                "--logfile",
                str(self.folder / "redis.log"),
            ],
            check=True,
        )
        time.sleep(0.5)

    def redis_stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"],
            check=False,
            capture_output=True,
        )

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def spawn(self, name: str, command: list[str]) -> None:
        out = (self.folder / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> dict:
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
        seeded = self.manage("shell", "-c", SEED)
        world = json.loads(next(ln for ln in seeded.splitlines()[::-1] if ln.startswith("{")))
        for n, port in enumerate(self.web_ports):
            self.spawn(
                f"web{n}",
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    f"--bind=127.0.0.1:{port}",
                    "--workers=1",
                    "--threads=4",
                    "--worker-class=gthread",
                    "--timeout=60",
                ],
            )
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
        deadline = time.monotonic() + 60
        for port in self.web_ports:
            while self.get(port, "/health/")[0] != 200:
                if time.monotonic() > deadline:
                    raise SystemExit(f"web on {port} did not start")
                time.sleep(0.5)
        return world

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.redis_stop()
        self.postgres_stop()

    # -- the load -------------------------------------------------------------------------
    def get(self, port: int, path: str, token: str = "", method="GET", body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, None
        except (OSError, ValueError) as error:
            return f"connection: {type(error).__name__}", None

    def client(self, number: int, world: dict, until: float) -> None:
        rng = random.Random(number)
        token, mine, n = world["token"], [], 0
        while time.monotonic() < until:
            port = rng.choice(self.web_ports)
            roll, n = rng.random(), n + 1
            if roll < 0.25:
                title = f"soak {number}-{n}"
                status, body = self.get(
                    port,
                    "/api/use-cases/",
                    token,
                    "POST",
                    {"department": world["department"], "title": title},
                )
                if status == 201:
                    mine.append(body["id"])
                    with self.lock:
                        self.created.append((body["id"], title))
            elif roll < 0.5:
                status, body = self.get(
                    port,
                    "/api/readings/",
                    token,
                    "POST",
                    {"metric": rng.choice(world["metrics"]), "value": str(n)},
                )
                if status == 201:
                    with self.lock:
                        self.readings.append(body["id"])
            elif roll < 0.6:
                use_case = rng.choice(world["use_cases"])
                action = rng.choice(["hold", "resume"])
                status, _ = self.get(
                    port, f"/api/use-cases/{use_case}/{action}/", token, "POST", {"reason": "soak"}
                )
            else:
                path = rng.choice(
                    ["/api/use-cases/", "/api/flags/", "/api/velocity/", "/api/notifications/"]
                )
                status, _ = self.get(port, path, token)
            with self.lock:
                self.statuses[status] += 1
                if self.db_down.is_set():
                    self.outage_statuses[status] += 1

    def web_rss(self) -> dict[str, int]:
        """RSS (KiB) of each gunicorn worker (the children of the two masters)."""
        sizes = {}
        for name in ("web0", "web1"):
            children = subprocess.run(
                ["pgrep", "-P", str(self.processes[name].pid)], capture_output=True, text=True
            ).stdout.split()
            for pid in children:
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

    def faults(self, until: float, started: float) -> list[str]:
        span = until - started
        done = []

        def at(share: float):
            time.sleep(max(0.0, started + span * share - time.monotonic()))

        at(0.2)
        self.kill_a_worker(0)
        done.append("worker 0 killed")
        at(0.35)
        self.redis_stop()
        log("Redis stopped")
        time.sleep(min(20, span * 0.08))
        self.redis_start()
        log("Redis started (empty)")
        done.append("Redis down")
        at(0.55)
        self.kill_a_worker(1)
        done.append("worker 1 killed")
        at(0.65)
        self.db_down.set()
        self.postgres_stop()
        log("PostgreSQL stopped")
        time.sleep(min(15, span * 0.06))
        self.postgres_start()
        time.sleep(1)
        self.db_down.clear()
        log("PostgreSQL started")
        done.append("PostgreSQL down")
        at(0.8)
        self.kill_a_worker(2)
        done.append("worker 2 killed")
        return done

    def run(self) -> int:
        world = self.start()
        log(f"serving; load for {self.seconds:.0f} s with {self.clients} clients")
        started = time.monotonic()
        until = started + self.seconds
        threads = [
            threading.Thread(target=self.client, args=(n, world, until))
            for n in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        # The web workers' memory once warm (a tenth of the load), and at its end.
        time.sleep(self.seconds * 0.1)
        rss_start = self.web_rss()
        faults = self.faults(until, started)
        for thread in threads:
            thread.join()
        rss_end = self.web_rss()
        log(f"load done: {sum(self.statuses.values())} answers {dict(self.statuses)}")
        drained = self.drain()
        checked = json.loads(
            next(
                ln
                for ln in self.manage("shell", "-c", CHECK).splitlines()[::-1]
                if ln.startswith("{")
            )
        )
        return self.report(faults, drained, checked, rss_start, rss_end)

    def drain(self, limit: float = 600) -> float:
        """Wait until no job is queued, held unacknowledged or pending (up to ``limit`` s): a
        killed worker's job comes back after the visibility timeout (420 s)."""
        import redis

        client = redis.Redis(port=self.redis_port)
        began = time.monotonic()
        quiet = 0
        while time.monotonic() - began < limit:
            queued = client.llen("celery") + client.zcard("unacked_index")
            pending = self.manage(
                "shell",
                "-c",
                "from core.models import PendingJob; print(PendingJob.objects.count())",
            ).split()[-1]
            quiet = quiet + 1 if queued == 0 and pending == "0" else 0
            if quiet >= 3:
                break
            time.sleep(5)
        return time.monotonic() - began

    def report(self, faults, drained, checked, rss_start, rss_end) -> int:
        sent = Counter()
        for n in range(2):
            for line in (self.folder / f"beat{n}.log").read_text(errors="replace").splitlines():
                found = re.search(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d).*Sending due task (\S+)", line)
                if found:
                    sent[found.groups()] += 1
        beat_doubles = {k: n for k, n in sent.items() if n > 1}
        work = {
            n: len(
                re.findall(
                    r"succeeded in", (self.folder / f"worker{n}.log").read_text(errors="replace")
                )
            )
            for n in range(3)
        }
        titles = checked["titles"]
        lost = [pk for pk, title in self.created if titles.get(title, 0) == 0]
        twice = [title for _, title in self.created if titles.get(title, 0) > 1]
        readings_lost = sorted(set(self.readings) - set(checked["readings"]))
        growth = {k: rss_end.get(k, 0) - v for k, v in rss_start.items()}
        problems = []
        if self.statuses[500]:
            problems.append(f"{self.statuses[500]} x 500")
        if lost or twice or readings_lost:
            problems.append(
                f"writes lost {len(lost)}, twice {len(twice)}, readings lost {len(readings_lost)}"
            )
        outside = self.statuses[503] - self.outage_statuses[503]
        if checked["open_twice"] or checked["notifications_beyond_flags"]:
            problems.append("duplicate flags or notifications")
        if checked["velocity_changed_by_recompute"] or checked["recompute_rows_written"]:
            problems.append("velocity differs from a clean recompute")
        if checked["sweep_raised"] or checked["sweep_cleared"]:
            problems.append("flags differ from a clean sweep")
        if beat_doubles:
            problems.append(f"schedule sent twice: {beat_doubles}")
        if not all(work.values()):
            problems.append(f"a worker ran nothing: {work}")
        print(
            json.dumps(
                {
                    "seconds": self.seconds,
                    "clients": self.clients,
                    "faults": faults,
                    "answers": {str(k): v for k, v in self.statuses.items()},
                    "answers_during_database_outage": {
                        str(k): v for k, v in self.outage_statuses.items()
                    },
                    "503_outside_the_outage": outside,
                    "acknowledged": {
                        "use_cases": len(self.created),
                        "readings": len(self.readings),
                    },
                    "lost": len(lost),
                    "stored_twice": len(twice),
                    "readings_lost": len(readings_lost),
                    "drained_in_s": round(drained),
                    "checks": {k: v for k, v in checked.items() if k not in ("titles", "readings")},
                    "schedule_sent_twice": len(beat_doubles),
                    "schedule_sends": sum(sent.values()),
                    "jobs_per_worker": work,
                    "web_rss_kib_start_end": {k: [v, rss_end.get(k)] for k, v in rss_start.items()},
                    "web_rss_growth_kib": growth,
                    "problems": problems,
                },
                indent=1,
            )
        )
        return 1 if problems else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 180)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SOAK_PORT", 8255)))
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--dir", default=None, help="work folder (default: a new temporary one)")
    args = parser.parse_args(argv)
    folder = Path(args.dir or tempfile.mkdtemp(prefix="flywheel-soak-"))
    soak = Soak(args.seconds, args.port, args.clients, folder)
    try:
        return soak.run()
    finally:
        soak.stop()
        log(f"logs in {folder}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
