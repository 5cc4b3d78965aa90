"""The inventory import of a 50,000-row file (5,000 use cases with their stage history, two
metrics each and seven readings), against the floor: bulk-inserting the same rows with the
ORM and no checks. Prints the time of the dry run and of the import, the ratio to the floor
from one run, and the peak memory. Not a test.

    python -m bench.import_inventory                # 50,000 rows
    python -m bench.import_inventory --rows 200000

PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench_inventory (created and migrated if
missing). Every write runs in a transaction that is rolled back, so runs do not accumulate.
"""

import argparse
import csv
import io
import os
import resource
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/flywheel_bench_inventory"
ROWS_PER_USE_CASE = 10  # the use case, two metrics, seven readings
HEADERS = ["Record", "Reference", "Title", "Department", "Submitted", "Pilot", "Scale",
           "Metric", "Metric kind", "Unit", "Direction", "Baseline", "Target", "Cadence",
           "Paired with", "Value", "Measured on"]  # fmt: skip


def _use_case_dates(index: int) -> tuple[date, date, date]:
    submitted = date(2021, 1, 4) + timedelta(days=index % 1000)
    pilot = submitted + timedelta(days=20 + index % 40)
    return submitted, pilot, pilot + timedelta(days=60 + index % 90)


def inventory_csv(use_cases: int) -> bytes:
    """The generated file: per use case one use case row, two metric rows, seven readings."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for index in range(use_cases):
        ref = f"BENCH-{index:06d}"
        submitted, pilot, scale = _use_case_dates(index)
        writer.writerow(["use case", ref, f"Initiative {index}", "Bench", submitted, pilot, scale]
                        + [""] * 10)  # fmt: skip
        writer.writerow(["metric", ref, "", "", "", "", "", "Handling time", "business",
                         "minutes", "lower", "42", "30", "monthly", "", "", ""])  # fmt: skip
        writer.writerow(["metric", ref, "", "", "", "", "", "Accuracy", "technical", "%",
                         "higher", "", "", "weekly", "Handling time", "", ""])  # fmt: skip
        for month in range(7):
            writer.writerow(["reading", ref, "", "", "", "", "", "Handling time"] + [""] * 7
                            + [str(40 - month), pilot + timedelta(days=30 * month)])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _bulk_floor(use_cases: int, department, actor) -> float:
    """The same rows written with bulk_create and nothing else: no parsing, no checks."""
    from django.db import transaction

    from portfolio.models import Metric, MetricReading, TransitionRecord, UseCase

    started = time.perf_counter()
    with transaction.atomic():
        cases = []
        for index in range(use_cases):
            submitted = datetime.combine(_use_case_dates(index)[0], datetime.min.time(), UTC)
            cases.append(UseCase(title=f"Initiative {index}", department=department,
                                 external_reference=f"FLOOR-{index:06d}",
                                 submitted_at=submitted))  # fmt: skip
        cases = UseCase.objects.bulk_create(cases, batch_size=1000)
        records, business, technical, readings = [], [], [], []
        for index, use_case in enumerate(cases):
            submitted, pilot, scale = (
                datetime.combine(d, datetime.min.time(), UTC) for d in _use_case_dates(index)
            )
            for transition, before, after, at in (
                ("submit", "draft", "submitted", submitted),
                ("advance_to_pilot", "submitted", "pilot", pilot),
                ("advance_to_scale", "pilot", "scale", scale),
            ):
                records.append(TransitionRecord(use_case=use_case, transition=transition,
                                                from_state=before, to_state=after, at=at,
                                                actor=actor, kind="imported",
                                                source_file="floor.csv"))  # fmt: skip
            business.append(Metric(use_case=use_case, name="Handling time", unit="minutes",
                                   direction="lower", baseline=42, target=30))  # fmt: skip
        TransitionRecord.objects.bulk_create(records, batch_size=2000)
        business = Metric.objects.bulk_create(business, batch_size=2000)
        for metric in business:
            technical.append(Metric(use_case_id=metric.use_case_id, name="Accuracy", unit="%",
                                    kind="technical", paired_with=metric))  # fmt: skip
            at = metric.use_case.submitted_at
            for month in range(7):
                readings.append(MetricReading(metric=metric, value=40 - month,
                                              measured_at=at + timedelta(days=30 * month),
                                              recorded_by=actor))  # fmt: skip
        Metric.objects.bulk_create(technical, batch_size=2000)
        MetricReading.objects.bulk_create(readings, batch_size=5000)
        transaction.set_rollback(True)
    return time.perf_counter() - started


def _import(content: bytes, actor, *, dry_run: bool) -> tuple[float, dict]:
    from django.db import transaction

    from inventory.services import inventory_import

    started = time.perf_counter()
    with transaction.atomic():
        report = inventory_import(
            actor=actor, content=content, filename="bench.csv", dry_run=dry_run
        )
        transaction.set_rollback(True)
    return time.perf_counter() - started, report


def _peak_memory(content: bytes, actor) -> int:
    tracemalloc.start()
    _import(content, actor, dry_run=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the file")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/import_inventory.py measures PostgreSQL: set BENCH_DATABASE_URL")
    from bench.velocity import _setup

    _setup(url)
    from django.contrib.auth.models import Group

    from core.roles import ADMINISTRATORS_GROUP
    from portfolio.models import Department
    from tests.factories import UserFactory

    department = Department.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0]
    actor = UserFactory._meta.model.objects.filter(username="bench-importer").first()
    if actor is None:
        actor = UserFactory(username="bench-importer")
        actor.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])
    use_cases = max(1, args.rows // ROWS_PER_USE_CASE)
    content = inventory_csv(use_cases)
    print(f"file: {use_cases * ROWS_PER_USE_CASE:,} rows, {len(content) / 2**20:.1f} MiB CSV")

    dry_s, report = _import(content, actor, dry_run=True)
    assert report["error_count"] == 0, report["errors"][:3]
    print(f"dry run (read, match, check; nothing written): {dry_s:.2f} s")
    floor_s = _bulk_floor(use_cases, department, actor)
    print(f"(floor) bulk_create of the same rows, no checks: {floor_s:.2f} s")
    apply_s, report = _import(content, actor, dry_run=False)
    assert report["applied"], report["errors"][:3]
    counts = report["counts"]
    print(
        f"import: {apply_s:.2f} s; created {counts['use case']['created']:,} use cases, "
        f"{counts['metric']['created']:,} metrics, {counts['reading']['created']:,} readings"
    )
    print(f"ratios: import/floor {apply_s / floor_s:.2f}x, dry run/floor {dry_s / floor_s:.2f}x")
    peak = _peak_memory(content, actor)
    print(f"peak Python memory of an import (tracemalloc): {peak / 2**20:.1f} MiB")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {maxrss:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
