"""The flag sweep on a large synthetic portfolio: the first sweep (every flag new, owners and
department heads notified and e-mailed) with notifications and without them, and a later
sweep (nothing new). The sweep is the portfolio's (slower than previous, stall, stale
metrics) plus every registered sweep (the governance watch: purgatory, overdue decisions,
conditions, re-reviews). Prints min/median and the ratio. Not a test.

    python -m bench.sweep               # on the 100,000 use case portfolio, 2 repetitions
"""

import argparse
import sys
import time

from bench._common import bench_url, ensure_portfolio, line, peak_memory, setup


def _sweep() -> int:
    from core.sweeps import sweeps_registered
    from portfolio.services.flags import flags_sweep

    raised = sum(r.raised for r in flags_sweep().values())
    for task in sweeps_registered():
        result = task()
        raised += sum(v.get("raised", 0) for v in result.values() if isinstance(v, dict))
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
        raised = _sweep()
        seconds = time.perf_counter() - started
    finally:
        flags._notify = original
    notifications = Notification.objects.count()
    assert notify or notifications == 0
    return seconds, raised, len(mail.outbox)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    setup(bench_url())
    ensure_portfolio(args.rows)
    from portfolio.models import Flag, VelocitySnapshot
    from portfolio.services.velocity import velocity_recompute

    if not VelocitySnapshot.objects.exists():
        velocity_recompute()
    with_notes, without = [], []
    for _ in range(args.repeat):
        seconds, raised, mails = _first(notify=False)
        without.append(seconds)
        seconds, raised, mails = _first(notify=True)
        with_notes.append(seconds)
    print(f"first sweep: {raised:,} flags raised, {mails:,} e-mails sent")
    by_kind = Flag.objects.values_list("kind").order_by("kind")
    from django.db.models import Count

    print("  open flags by kind:", dict(by_kind.annotate(n=Count("id"))))
    print(line("first sweep, with notifications vs without", with_notes, without, 2.0))
    later = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        _sweep()
        later.append(time.perf_counter() - started)
    print(line("later sweep (nothing new) vs first without", later, without))
    _, peak = peak_memory(_sweep)
    print(f"peak Python memory of a later sweep (tracemalloc): {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
