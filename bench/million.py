"""The million: load, recompute and sweep a 1,000,000 use case portfolio on this machine,
with the time and peak memory of each step printed as it ends (so a run stopped by its time
bound still says how far it got). Not part of `make bench` (it takes the better part of an
hour on two cores); run it on its own database:

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/flywheel_million \\
        python -m bench.million --rows 1000000
"""

import argparse
import logging
import os
import resource
import sys
import time

from bench._common import bench_url, setup

STEP = 100_000


def _rss() -> str:
    return f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"


def _say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--steps",
        default="load,recompute,sweep",
        help="comma-separated steps to run (load, recompute, sweep); run each in its own "
        "process to read each step's own peak RSS",
    )
    args = parser.parse_args(argv)
    steps = set(args.steps.split(","))
    # Jobs (the mail job after the sweep) run in this process after each commit and are
    # timed with their step; no background thread runs the beat schedule beside the run.
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["FLYWHEEL_BACKGROUND_JOBS"] = "inline"
    setup(bench_url())
    from django.conf import settings

    # As in production: no query log kept per connection (up to 9,000 statements, some of
    # them a thousand rows long, which grew the peak memory of a long run by hundreds of MiB).
    settings.DEBUG = False
    from django.db import connection

    from console.demo.scale import generate_synthetic
    from portfolio.models import TransitionRecord, UseCase

    have = UseCase.objects.count()
    started = time.perf_counter()
    while "load" in steps and have < args.rows:
        step = min(STEP, args.rows - have)
        generate_synthetic(count=step, progress=False, total=args.rows)
        have += step
        _say(
            f"loaded {have:,} use cases in {time.perf_counter() - started:.0f} s "
            f"(peak RSS {_rss()})"
        )
    load = time.perf_counter() - started
    if "load" in steps:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        records = TransitionRecord.objects.count()
        _say(f"load: {have:,} use cases, {records:,} records in {load:.0f} s; vacuum done")
    if "recompute" in steps:
        _recompute()
    if "sweep" in steps:
        _sweeps()


def _recompute() -> None:
    from portfolio.services.velocity import velocity_recompute

    started = time.perf_counter()
    result = velocity_recompute()
    _say(
        f"recompute: {result.duration_rows:,} duration rows, {result.trend_rows} trend rows "
        f"in {time.perf_counter() - started:.0f} s (peak RSS {_rss()})"
    )
    started = time.perf_counter()
    again = velocity_recompute()
    _say(
        f"nightly rerun, nothing changed: {again.skipped_scopes} scopes skipped in "
        f"{time.perf_counter() - started:.1f} s"
    )


def _sweeps() -> None:
    from core.sweeps import sweeps_registered
    from portfolio.services.flags import flags_sweep

    # The sweep's progress, every 100,000 use cases (it logs each chunk at DEBUG).
    def every_100k(record) -> bool:
        if record.args and record.args[0] % 100_000 == 0:
            record.msg += f" (peak RSS {_rss()})"
            return True
        return False

    progress = logging.getLogger("portfolio.services.flags")
    progress.setLevel(logging.DEBUG)
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(every_100k)
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(message)s", "%H:%M:%S"))
    progress.addHandler(handler)
    progress.propagate = False

    started = time.perf_counter()
    raised = sum(r.raised for r in flags_sweep().values())
    _say(
        f"portfolio flag sweep (first, with notifications): {raised:,} raised in "
        f"{time.perf_counter() - started:.0f} s (peak RSS {_rss()})"
    )
    for task in sweeps_registered():
        started = time.perf_counter()
        task()
        _say(f"{task.name}: {time.perf_counter() - started:.0f} s (peak RSS {_rss()})")
    started = time.perf_counter()
    flags_sweep()
    _say(f"later portfolio flag sweep: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
