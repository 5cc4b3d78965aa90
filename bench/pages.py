"""Page load in Chromium at demo scale: the dashboard, the pages with charts and a review page,
each as a ratio of its load-event time to a plain admin page, with the bytes transferred.

    python -m bench.pages [--runs 5] [--port 0]

It loads the demo portfolio into a fresh SQLite file, serves it with runserver on a loopback
port (``--port``, a free one when 0) and visits every page with an empty cache (a new browser
context per visit), then once more with a warm cache. Every page is measured the same way, in
turns (one visit of each page per run), so a change in the machine's load falls on all of
them; the load average is printed beside every figure. The floor is a plain admin page (the
departments' change list, signed in as the same executive as the dashboard).
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("FLYWHEEL_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "flywheel-demo"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
    )


def _wait(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def _visit(browser, base: str, user: str, path: str) -> dict:
    """One cold visit after logging in: load-event time (ms) and bytes transferred."""
    context = browser.new_context(base_url=base, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    login = "/admin/login/" if path.startswith("/admin") else "/accounts/login/"
    page.goto(login)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_load_state("load")
    figures = {}
    for visit in ("cold", "warm"):
        if visit == "cold":
            # The login page's assets are cached; drop them so the visit is a first one.
            client = context.new_cdp_session(page)
            client.send("Network.clearBrowserCache")
        page.goto(path)
        page.wait_for_load_state("load")
        timing = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType('navigation')[0];
              const res = performance.getEntriesByType('resource');
              const js = res.filter(e => e.initiatorType === 'script');
              return {
                load: nav.loadEventEnd,
                server: nav.responseStart - nav.requestStart,
                bytes: nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0),
                js: js.reduce((s, e) => s + e.transferSize, 0),
              };
            }"""
        )
        figures[visit] = {**timing, "loadavg": os.getloadavg()[0]}
    context.close()
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="flywheel-bench-pages-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    print("loading the demo portfolio ...", flush=True)
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo", "--no-progress", stdout=subprocess.DEVNULL)
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"{base}/health/")
        ids = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup();"
                "from gates.models import GateReview as R;"
                "r = R.objects.exclude(decided_at=None).order_by('-decided_at').first();"
                "print(r.pk, r.use_case_id)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        review_id, use_case_id = ids[-2], ids[-1]
        pages = [
            ("plain admin page (departments)", "exec", "/admin/portfolio/department/"),
            ("executive dashboard", "exec", "/admin/"),
            ("review queue (no chart)", "board-chair", "/reviews/"),
            ("use case page (department)", "head-claims", f"/use-cases/{use_case_id}/"),
            ("use case page (executive)", "exec", f"/admin/flywheel/use-cases/{use_case_id}/"),
            ("review page", "board-chair", f"/reviews/{review_id}/"),
        ]
        results = {name: [] for name, _user, _path in pages}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for _run in range(args.runs):
                for name, user, path in pages:
                    results[name].append(_visit(browser, base, user, path))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"\nPage load in Chromium, demo scale, median of {args.runs} cold visits")
    baseline = statistics.median(r["cold"]["load"] for r in results[pages[0][0]])
    print(
        f"{'page':<36}{'load ms':>9}{'ratio':>7}{'warm ms':>9}{'server ms':>10}"
        f"{'KB total':>10}{'KB JS':>8}{'load avg':>10}"
    )
    for name, _user, _path in pages:
        runs = results[name]
        load = statistics.median(r["cold"]["load"] for r in runs)
        warm = statistics.median(r["warm"]["load"] for r in runs)
        server_ms = statistics.median(r["cold"]["server"] for r in runs)
        total = statistics.median(r["cold"]["bytes"] for r in runs) / 1000
        js = statistics.median(r["cold"]["js"] for r in runs) / 1000
        loads = [r["cold"]["loadavg"] for r in runs]
        print(
            f"{name:<36}{load:>9.0f}{load / baseline:>7.2f}{warm:>9.0f}{server_ms:>10.0f}"
            f"{total:>10.0f}{js:>8.0f}{min(loads):>5.1f}-{max(loads):<4.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
