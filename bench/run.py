"""Run every benchmark in bench/ (make bench). Benchmarks print ratios measured in one run."""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    """Import each bench module that defines main() and run it; report the ones that fail."""
    failed = []
    here = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(here)])):
        # The million and the soak run on their own (bench/million.py, `make soak`); run and
        # helpers are not benches.
        if module in ("run", "million", "soak") or module.startswith("_"):
            continue
        bench = importlib.import_module(f"bench.{module}")
        if not hasattr(bench, "main"):
            continue
        print(f"\n=== bench/{module}.py ===", flush=True)
        try:
            bench.main([])
        # One failing benchmark must not hide the others.
        except Exception as exc:
            print(f"bench/{module}.py failed: {exc!r}", file=sys.stderr)
            failed.append(module)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
