"""Page load in Chromium at demo scale: the dashboard, a use case page and a review page,
each as a ratio of its load-event time to a page without charts, with the bytes transferred.

    python -m bench.pages [--runs 5] [--full-plotly]

It loads the demo portfolio into a fresh SQLite file, serves it with runserver on a free
loopback port and visits every page with an empty cache (a new browser context per visit),
then once more with a warm cache. ``--full-plotly`` serves the full plotly.js (4.8 MB, not
compressed) in place of the basic bundle, as the pages did before, for comparison.
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


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def _visit(browser, base: str, user: str, path: str, *, full_plotly: bytes | None) -> dict:
    """One cold visit after logging in: load-event time (ms) and bytes transferred."""
    context = browser.new_context(base_url=base, viewport={"width": 1440, "height": 900})
    if full_plotly is not None:
        context.route(
            "**/assets/plotly-*.js",
            lambda route: route.fulfill(body=full_plotly, content_type="text/javascript"),
        )
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
        figures[visit] = timing
    context.close()
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--full-plotly", action="store_true")
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
    port = _free_port()
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
            ("page without charts (review queue)", "board-chair", "/reviews/"),
            ("executive dashboard", "exec", "/admin/"),
            ("use case page (department)", "head-claims", f"/use-cases/{use_case_id}/"),
            ("use case page (executive)", "exec", f"/admin/flywheel/use-cases/{use_case_id}/"),
            ("review page", "board-chair", f"/reviews/{review_id}/"),
        ]
        full = None
        if args.full_plotly:
            import plotly

            full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
        results = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for name, user, path in pages:
                runs = [
                    _visit(browser, base, user, path, full_plotly=full) for _ in range(args.runs)
                ]
                results[name] = runs
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    label = "full plotly.js, uncompressed" if args.full_plotly else "plotly.js basic, gzipped"
    print(f"\nPage load in Chromium, demo scale, median of {args.runs} ({label})")
    baseline = statistics.median(r["cold"]["load"] for r in results[pages[0][0]])
    print(
        f"{'page':<36}{'load ms':>9}{'ratio':>7}{'warm ms':>9}{'server ms':>10}"
        f"{'KB total':>10}{'KB JS':>8}"
    )
    for name, _user, _path in pages:
        runs = results[name]
        load = statistics.median(r["cold"]["load"] for r in runs)
        warm = statistics.median(r["warm"]["load"] for r in runs)
        server_ms = statistics.median(r["cold"]["server"] for r in runs)
        total = statistics.median(r["cold"]["bytes"] for r in runs) / 1000
        js = statistics.median(r["cold"]["js"] for r in runs) / 1000
        print(
            f"{name:<36}{load:>9.0f}{load / baseline:>7.2f}{warm:>9.0f}{server_ms:>10.0f}"
            f"{total:>10.0f}{js:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
