"""The flag sweep on a large synthetic portfolio: the first sweep (every flag new, owners and
department heads notified and e-mailed) with notifications and without them, and a later
sweep (nothing new). The sweep is the portfolio's (slower than previous, stall, stale
metrics) plus every registered sweep (the governance watch: purgatory, overdue decisions,
conditions, re-reviews). Prints min/median and the ratio. Not a test.

    python -m bench.sweep               # on the 100,000 use case portfolio, 2 repetitions
"""

import argparse
import os
import sys
import time

from bench._common import bench_url, ensure_portfolio, line, peak_memory, setup


def _say(text: str) -> None:
    """Print at once (a run stopped by its time bound keeps what it measured)."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def _raised(result) -> int:
    """Flags raised, from a sweep task's result (``{"flags": {kind: {"raised": n}}}``)."""
    if isinstance(result, dict):
        if isinstance(result.get("raised"), int):
            return result["raised"]
        return sum(_raised(value) for value in result.values())
    return getattr(result, "raised", 0) if not isinstance(result, (list, str)) else 0


def _sweep(report: bool = False) -> int:
    from core.sweeps import sweeps_registered
    from portfolio.services.flags import flags_sweep

    started = time.perf_counter()
    raised = sum(r.raised for r in flags_sweep().values())
    if report:
        _say(f"  portfolio flags_sweep: {raised:,} raised in {time.perf_counter() - started:.1f} s")
    for task in sweeps_registered():
        started = time.perf_counter()
        result = task()
        more = _raised(result)
        raised += more
        if report:
            _say(f"  {task.name}: {more:,} raised in {time.perf_counter() - started:.1f} s")
    return raised


def _reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE portfolio_flag, portfolio_notification")


def _first(notify: bool) -> tuple[float, int, int]:
    """One first sweep from no flags at all: seconds, flags raised, e-mails sent."""
    from django.core import mail

    from portfolio.models import Notification
    from portfolio.services import flags

    _reset()
    mail.outbox = []
    original = flags._notify
    if not notify:
        flags._notify = lambda raised: None
    try:
        started = time.perf_counter()
        raised = _sweep(report=True)
        seconds = time.perf_counter() - started
    finally:
        flags._notify = original
    notifications = Notification.objects.count()
    assert notify or notifications == 0
    _say(
        f"first sweep {'with' if notify else 'without'} notifications: {seconds:.1f} s, "
        f"{raised:,} flags raised, {notifications:,} notifications, "
        f"{len(mail.outbox):,} e-mails"
    )
    return seconds, raised, len(mail.outbox)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    # The mail job runs in this process right after each commit and is timed with the sweep
    # (no broker, no background thread running the beat schedule beside the benchmark).
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["FLYWHEEL_BACKGROUND_JOBS"] = "inline"
    setup(bench_url())
    from django.conf import settings

    # As in production: no query log kept per connection (up to 9,000 statements, some of
    # them a thousand rows long, which grew the peak memory of a long run by hundreds of MiB).
    settings.DEBUG = False
    ensure_portfolio(args.rows)
    from portfolio.models import Flag, VelocitySnapshot
    from portfolio.services.velocity import velocity_recompute

    if not VelocitySnapshot.objects.exists():
        started = time.perf_counter()
        velocity_recompute()
        _say(f"velocity recompute: {time.perf_counter() - started:.1f} s")
    with_notes, without = [], []
    for _ in range(args.repeat):
        seconds, raised, mails = _first(notify=False)
        without.append(seconds)
        seconds, raised, mails = _first(notify=True)
        with_notes.append(seconds)
        _say(line("  so far: with notifications vs without", with_notes, without, 2.0))
    _say(f"first sweep: {raised:,} flags raised, {mails:,} e-mails sent")
    by_kind = Flag.objects.values_list("kind").order_by("kind")
    from django.db.models import Count

    _say(f"  open flags by kind: {dict(by_kind.annotate(n=Count('id')))}")
    _say(line("first sweep, with notifications vs without", with_notes, without, 2.0))
    later = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        _sweep()
        later.append(time.perf_counter() - started)
        _say(f"later sweep (nothing new): {later[-1]:.1f} s")
    _say(line("later sweep (nothing new) vs first without", later, without))
    _, peak = peak_memory(_sweep)
    _say(f"peak Python memory of a later sweep (tracemalloc): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
