"""API list pages over real HTTP, against their floor: both served by gunicorn (one process,
one thread each, the same options), asked by one client on a kept-alive connection with
token authentication, in turns. Ours goes through everything production runs (the WSGI
handler, the whole middleware stack, token authentication, the view, the serializer, the
renderer); the floor (bench/_http_floor.py) writes the same bytes from hand-written SQL, and
the two bodies are compared byte for byte before any timing. The load average is printed
beside every figure. Not a test.

    BENCH_DATABASE_URL=postgres://.../flywheel_bench python -m bench.http_lists --rows 20000
"""

import argparse
import http.client
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from bench._common import bench_url, ensure_portfolio, ensure_velocity, line
from bench._common import setup as bench_setup

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def gunicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, f"--bind={HOST}:{port}", "--workers=1",
         "--threads=1", "--worker-class=gthread", "--timeout=120", "--keep-alive=60",
         "--log-level=warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 240  # a loaded machine boots slowly
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/health/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"{app} did not start on {port}")


class Client:
    def __init__(self, port: int, token: str, host: str):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)
        self.headers = {
            "Authorization": f"Token {token}",
            "Host": host,
            "X-Forwarded-Proto": "https",
        }

    def get(self, path: str) -> bytes:
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the kept-alive connection while the other side was asked.
            self.connection.close()
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
        return body


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--port", type=int, default=8250)
    parser.add_argument("--lists", default="", help="only these paths, comma-separated")
    args = parser.parse_args(argv)
    url = bench_url()
    bench_setup(url)
    ensure_portfolio(args.rows)
    from bench.api import _admin
    from gates.models import GateReview
    from portfolio.models import UseCase, VelocitySnapshot
    from signin.services.tokens import api_token_create

    ensure_velocity()
    token = api_token_create(user=_admin(), name="bench")[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "BENCH_DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        # As production runs (docs/operations.md): DEBUG off, behind a TLS proxy that says
        # so in X-Forwarded-Proto (both clients send it), a strong key, the host named.
        "FLYWHEEL_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": HOST,
    }
    host = f"{HOST}:{args.port}"
    servers = [
        gunicorn("config.wsgi:application", args.port, env),
        gunicorn("bench._http_floor:application", args.port + 1, env),
    ]
    try:
        ours, floor = Client(args.port, token, host), Client(args.port + 1, token, host)
        use_cases, snapshots = UseCase.objects.count(), VelocitySnapshot.objects.count()
        reviews = GateReview.objects.count()
        print(
            f"{use_cases:,} use cases, {snapshots:,} velocity rows, {reviews:,} reviews; "
            f"{args.repeat} turns each"
        )
        for name, path, count in (
            ("use case list", "/api/use-cases/", use_cases),
            ("velocity list", "/api/velocity/", snapshots),
            ("review list", "/api/reviews/", reviews),
        ):
            if args.lists and path not in args.lists.split(","):
                continue
            last = max(1, -(-count // 50))
            for label, page in (("page 1", 1), (f"last page ({last})", last)):
                target = path if page == 1 else f"{path}?page={page}"
                mine, theirs = ours.get(target), floor.get(target)
                if mine != theirs:
                    pairs = enumerate(zip(mine, theirs, strict=False))
                    at = next((i for i, (a, b) in pairs if a != b), min(len(mine), len(theirs)))
                    raise SystemExit(
                        f"{name} {label}: different bytes at {at}:\n"
                        f"ours  {mine[max(0, at - 150) : at + 150]!r}\n"
                        f"floor {theirs[max(0, at - 150) : at + 150]!r}"
                    )
                times: dict[str, list[float]] = {"ours": [], "floor": []}
                for _ in range(args.repeat):
                    for side, client in (("ours", ours), ("floor", floor)):
                        began = time.perf_counter()
                        client.get(target)
                        times[side].append(time.perf_counter() - began)
                load = os.getloadavg()[0]
                print(
                    line(f"{name}, {label}", times["ours"], times["floor"], 1.3)
                    + f"  ({len(mine):,} bytes, same; load {load:.1f})"
                )
    finally:
        for server in servers:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main(sys.argv[1:])
