"""The inventory export (the import template: every use case with its metrics, readings and
gaps) streamed as CSV and as .xlsx on the large synthetic portfolio: wall time, rows, bytes
and the peak of Python allocations (tracemalloc) and of the process (ru_maxrss) while the
stream is consumed as a download would consume it. Not a test.

    BENCH_DATABASE_URL=... python -m bench.export --rows 100000
"""

import argparse
import os
import resource
import sys
import time

from bench._common import bench_url, ensure_portfolio, peak_memory
from bench._common import setup as bench_setup


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also the peak of Python allocations (tracemalloc slows Python several times)",
    )
    args = parser.parse_args(argv)
    bench_setup(bench_url())
    from inventory.exporting import inventory_export_stream
    from portfolio.models import UseCase

    if UseCase.objects.count() < args.rows:
        ensure_portfolio(args.rows)

    use_cases = UseCase.objects.count()
    for file_format in args.formats.split(","):

        def consume(file_format=file_format):
            size = pieces = 0
            for piece in inventory_export_stream(file_format=file_format):
                size += len(piece)
                pieces += 1
            return size, pieces

        began, cpu = time.perf_counter(), time.process_time()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.tracemalloc:
            (size, pieces), peak = peak_memory(consume)
            python = f"; peak Python allocations {peak / 2**20:.1f} MiB (under tracemalloc)"
        else:
            (size, pieces), python = consume(), ""
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"inventory export {file_format}, {use_cases:,} use cases: {took:.1f} s "
            f"({cpu:.1f} s of CPU), {size / 2**20:.1f} MiB in {pieces:,} pieces{python}; "
            f"process peak RSS {rss_before:.0f} MiB before, {rss:.0f} MiB after; "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
