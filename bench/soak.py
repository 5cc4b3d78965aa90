"""The production shape under faults, on loopback only: a PostgreSQL and a Redis of its own
(initdb into a temporary folder), two web servers (gunicorn), three Celery workers and two
beats (each under `manage.py run_jobs`, the supervisor the systemd units run), a webhook
subscriber to every event, and a bounded mixed load while workers are killed, a web server
killed, Redis restarted and PostgreSQL stopped and started. Then it checks:

- every acknowledged write is stored, once (titles are unique per write);
- no answer was a 500; a 503 only during the database outage; a refused connection only
  while a web server was dead;
- no duplicate flag (two open of one kind on one use case) or notification (more flag
  notifications to a person than flags raised for the use case);
- every webhook delivery done, received once (the receiver counts each delivery id);
- once the jobs have drained, flags and velocity equal a clean recompute (a forced
  recompute writes no row, a sweep raises and clears nothing);
- one beat sent the schedule at a time (no every-minute entry sent twice in one minute);
- work spread over the workers (each ran jobs);
- web memory flat (RSS of the web workers a tenth into the load and at its end).

Not part of the test suite: `make soak` (SOAK_SECONDS, default 180). Needs initdb/pg_ctl and
redis-server on PATH. Ports SOAK_PORT..SOAK_PORT+4 (default 8255: PostgreSQL, Redis, two
web servers, the webhook receiver).
"""

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench._soak_report import print_figures, verdict
from bench._soak_scripts import CHECK, SEED
from bench._soak_servers import Servers, log, request


class Soak:
    def __init__(self, seconds: float, port: int, clients: int, folder: Path):
        self.seconds, self.clients, self.folder = seconds, clients, folder
        self.servers = Servers(port, folder)
        self.statuses: Counter = Counter()
        # The answers given while each fault lasted (the fault's name: its answers).
        self.during: defaultdict[str, Counter] = defaultdict(Counter)
        self.fault: str | None = None
        self.created: list[tuple[int, str]] = []
        self.readings: list[int] = []
        self.done: list[str] = []
        self.rss: tuple[dict, dict] = ({}, {})
        self.drained = 0.0
        self.lock = threading.Lock()

    def client(self, number: int, world: dict, until: float) -> None:
        """Mixed load: a quarter drafts, a quarter readings, a tenth holds and resumes, the
        rest lists; each call to either web server at random."""
        rng = random.Random(number)
        token, n = world["token"], 0
        while time.monotonic() < until:
            port = rng.choice(self.servers.web_ports)
            roll, n = rng.random(), n + 1
            if roll < 0.25:
                title = f"soak {number}-{n}"
                body = {"department": world["department"], "title": title}
                status, answer = request(port, "/api/use-cases/", token, "POST", body)
                if status == 201:
                    with self.lock:
                        self.created.append((answer["id"], title))
            elif roll < 0.5:
                body = {"metric": rng.choice(world["metrics"]), "value": str(n)}
                status, answer = request(port, "/api/readings/", token, "POST", body)
                if status == 201:
                    with self.lock:
                        self.readings.append(answer["id"])
            elif roll < 0.6:
                path = f"/api/use-cases/{rng.choice(world['use_cases'])}/"
                path += rng.choice(["hold/", "resume/"])
                status, _ = request(port, path, token, "POST", {"reason": "soak"})
            else:
                path = rng.choice(
                    ["/api/use-cases/", "/api/flags/", "/api/velocity/", "/api/notifications/"]
                )
                status, _ = request(port, path, token)
            with self.lock:
                self.statuses[status] += 1
                if self.fault:
                    self.during[self.fault][status] += 1

    def outage(self, name: str, stop, start, seconds: float) -> None:
        self.fault = name
        stop()
        log(f"{name}")
        time.sleep(seconds)
        start()
        if name == "PostgreSQL down":
            time.sleep(1)
        self.fault = None
        log(f"{name}: over")
        self.done.append(f"{name} {seconds:.0f} s")

    def faults(self, until: float, started: float) -> None:
        """Kill each worker once, a web server once; Redis and PostgreSQL down once each."""
        span = until - started
        servers = self.servers

        def at(share: float):
            time.sleep(max(0.0, started + span * share - time.monotonic()))

        for share, action in (
            (0.2, lambda: servers.kill_a_worker(0)),
            (
                0.3,
                lambda: self.outage(
                    "web server down", lambda: None, lambda: servers.kill_a_web_server(1, 5), 0
                ),
            ),
            (
                0.4,
                lambda: self.outage(
                    "Redis down", servers.redis_stop, servers.redis_start, min(40, span * 0.08)
                ),
            ),
            (0.55, lambda: servers.kill_a_worker(1)),
            (
                0.65,
                lambda: self.outage(
                    "PostgreSQL down",
                    servers.postgres_stop,
                    servers.postgres_start,
                    min(30, span * 0.06),
                ),
            ),
            (0.8, lambda: servers.kill_a_worker(2)),
        ):
            at(share)
            action()
        self.done += [f"worker {n} killed" for n in range(3)]

    def drain(self, limit: float = 600) -> None:
        """Wait until no job is queued, held unacknowledged or pending (up to ``limit`` s): a
        killed worker's job comes back after the visibility timeout (420 s)."""
        import redis

        client = redis.Redis(port=self.servers.redis_port)
        began, quiet = time.monotonic(), 0
        pending = "from core.models import PendingJob; print(PendingJob.objects.count())"
        while time.monotonic() - began < limit:
            queued = client.llen("celery") + client.zcard("unacked_index")
            left = self.servers.manage("shell", "-c", pending).split()[-1]
            quiet = quiet + 1 if queued == 0 and left == "0" else 0
            if quiet >= 3:
                break
            time.sleep(5)
        self.drained = time.monotonic() - began

    def run(self) -> int:
        self.servers.start()
        world = self.servers.shell_json(SEED)
        self.servers.jobs_start()
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
        rss_start = self.servers.web_rss()
        self.faults(until, started)
        for thread in threads:
            thread.join()
        self.rss = (rss_start, self.servers.web_rss())
        log(f"load done: {sum(self.statuses.values())} answers {dict(self.statuses)}")
        self.drain()
        checked = self.servers.shell_json(CHECK)
        figures, problems = verdict(self, checked, self.servers.receiver.received)
        print_figures(figures)
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
        soak.servers.stop()
        log(f"logs in {folder}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
