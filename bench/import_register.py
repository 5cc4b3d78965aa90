"""A PMO's own register of 50,000 use cases (a title row, its own header names, a KPI set as
columns, owners written "Name (Title)", money as text, dates in three notations) through
the steps of the import: reading the file, finding the sheet and header row, suggesting the
mapping, and the dry run; against the floor of bulk-inserting the same records with the
ORM and no checks. Prints each step's time, the ratio of the whole to the floor, and the
peak Python memory of each step. Not a test.

    python -m bench.import_register                 # 50,000 rows, CSV and .xlsx
    python -m bench.import_register --rows 10000 --formats csv

PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench_register (created and migrated if
missing). The floor's writes run in a transaction that is rolled back.
"""

import argparse
import csv
import io
import resource
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta

from bench._common import setup

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/flywheel_bench_register"
PEOPLE = [("Dana", "Whitfield", "COO"), ("Marco", "Rossi", "CFO"),
          ("Priya", "Natarajan", "Head of Claims Ops"), ("Li", "Wei", "Analyst"),
          ("José", "Álvarez", "Ops lead")]  # fmt: skip
DEPARTMENTS = ["Claims", "Finance", "Operations"]
HEADERS = ["Initiative ID", "Initiative Name", "Business Unit", "Business Owner",
           "Exec Sponsor", "Submission Date", "Pilot Start", "Go-Live", "Status",
           "Est. Annual Benefit", "Build Cost", "KPI", "KPI Unit", "KPI Baseline",
           "KPI Target", "Latest", "As of", "Comments"]  # fmt: skip


def _dates(index: int) -> tuple[date, date, date]:
    submitted = date(2021, 1, 4) + timedelta(days=index % 1000)
    pilot = submitted + timedelta(days=20 + index % 40)
    return submitted, pilot, pilot + timedelta(days=60 + index % 90)


def register_rows(use_cases: int):
    """The title row, a blank line, the headers, then one row per use case."""
    yield ["Acme - AI Initiative Register (benchmark)"]
    yield []
    yield HEADERS
    for index in range(use_cases):
        submitted, pilot, scale = _dates(index)
        owner = PEOPLE[2 + index % 3]
        sponsor = PEOPLE[index % 2]
        live = index % 3 == 0
        yield [
            f"AI-{index:06d}", f"Initiative {index}", DEPARTMENTS[index % 3],
            f"{owner[0]} {owner[1]} ({owner[2]})", f"{sponsor[0]} {sponsor[1]} ({sponsor[2]})",
            submitted.isoformat(), f"{pilot.day} {pilot:%b} {pilot.year}",
            f"{scale:%d}/{scale:%m}/{scale.year}" if live else "N/A",
            "Live" if live else "Pilot", f"${75000 + index % 50 * 1000:,}", "TBD",
            "Handling time", "min", "42", "30", str(40 - index % 7),
            (pilot + timedelta(days=30)).isoformat(), "see deck" if index % 5 == 0 else "",
        ]  # fmt: skip


def register_file(use_cases: int, file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in register_rows(use_cases):
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), "register.xlsx"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in register_rows(use_cases):
        writer.writerow(row)
    return out.getvalue().encode("utf-8"), "register.csv"


def _bulk_floor(use_cases: int, departments: dict, people: dict, actor) -> float:
    """The same records written with bulk_create and nothing else: no parsing, no checks."""
    from django.db import transaction

    from portfolio.models import Metric, MetricReading, TransitionRecord, UseCase

    started = time.perf_counter()
    with transaction.atomic():
        cases = []
        for index in range(use_cases):
            submitted = datetime.combine(_dates(index)[0], datetime.min.time(), UTC)
            cases.append(UseCase(
                title=f"Initiative {index}", department=departments[DEPARTMENTS[index % 3]],
                external_reference=f"FLOOR-{index:06d}", submitted_at=submitted,
                outcome_owner=people[PEOPLE[2 + index % 3][1]],
                sponsor=people[PEOPLE[index % 2][1]], expected_benefit_yearly=75000,
            ))  # fmt: skip
        cases = UseCase.objects.bulk_create(cases, batch_size=1000)
        records, metrics = [], []
        for index, use_case in enumerate(cases):
            submitted, pilot, scale = (
                datetime.combine(d, datetime.min.time(), UTC) for d in _dates(index)
            )
            moves = [("submit", "draft", "submitted", submitted),
                     ("advance_to_pilot", "submitted", "pilot", pilot)]  # fmt: skip
            if index % 3 == 0:
                moves.append(("advance_to_scale", "pilot", "scale", scale))
            for transition, before, after, at in moves:
                records.append(TransitionRecord(use_case=use_case, transition=transition,
                                                from_state=before, to_state=after, at=at,
                                                actor=actor, kind="imported",
                                                source_file="floor.csv"))  # fmt: skip
            metrics.append(Metric(use_case=use_case, name="Handling time", unit="min",
                                  baseline=42, target=30))  # fmt: skip
        TransitionRecord.objects.bulk_create(records, batch_size=2000)
        metrics = Metric.objects.bulk_create(metrics, batch_size=2000)
        MetricReading.objects.bulk_create(
            (MetricReading(metric=m, value=40, measured_at=m.use_case.submitted_at,
                           recorded_by=actor) for m in metrics),
            batch_size=5000,
        )  # fmt: skip
        transaction.set_rollback(True)
    return time.perf_counter() - started


def _steps(content: bytes, filename: str, *, memory: bool) -> dict:
    """Each step of the dry run timed (or its peak traced memory, with ``memory``)."""
    from inventory.detect import table_of
    from inventory.dry_run import plan_build
    from inventory.files import read_book
    from inventory.mapping import mapping_suggest
    from inventory.plan import ImportOptions

    results, state = {}, {}

    def step(name, fn):
        if memory:
            tracemalloc.start()
        started = time.perf_counter()
        state[name] = fn()
        elapsed = time.perf_counter() - started
        if memory:
            results[name] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        else:
            results[name] = elapsed

    step("read the file", lambda: read_book(content, filename))
    step("find sheet and header row", lambda: table_of(state["read the file"]))
    table = state["find sheet and header row"]
    step("suggest the mapping", lambda: mapping_suggest(table.headers, table.rows))
    step("dry run (mapping, people, rules)", lambda: plan_build(
        table=table, source_file=filename, options=ImportOptions()))  # fmt: skip
    plan = state["dry run (mapping, people, rules)"]
    assert not plan.errors, [e.message for e in plan.errors[:3]]
    results["_created"] = len(plan.new_use_cases)
    return results


def main(argv: list[str] | None = None) -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="use case rows")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the traced-memory pass (twice as slow)"
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the bulk_create floor")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    setup(url)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import ADMINISTRATORS_GROUP, EXECUTIVES_GROUP
    from portfolio.models import Department

    User = get_user_model()
    departments = {
        name: Department.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
        for name in DEPARTMENTS
    }
    executives = Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0]
    people = {}
    for number, (first, last, _) in enumerate(PEOPLE):
        people[last] = User.objects.get_or_create(
            username=f"{first}.{last}".lower().replace("é", "e").replace("á", "a"),
            defaults={"first_name": first, "last_name": last},
        )[0]
        if number < 2:
            people[last].groups.add(executives)
    actor = User.objects.get_or_create(username="bench-importer")[0]
    actor.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0])

    print(f"{args.rows:,} use cases; load average {os.getloadavg()[0]:.1f}", flush=True)
    totals = {}
    for file_format in args.formats.split(","):
        content, filename = register_file(args.rows, file_format)
        print(f"\n{file_format}: {len(content) / 2**20:.1f} MiB", flush=True)
        times = _steps(content, filename, memory=False)
        assert times.pop("_created") == args.rows
        peaks = {} if args.no_memory else _steps(content, filename, memory=True)
        peaks.pop("_created", None)
        for name, seconds in times.items():
            peak = f"   peak {peaks[name] / 2**20:7.1f} MiB" if name in peaks else ""
            print(f"  {name:34} {seconds:7.2f} s{peak}", flush=True)
        totals[file_format] = sum(times.values())
        print(f"  {'whole dry run':34} {totals[file_format]:7.2f} s", flush=True)
    if not args.no_floor:
        floor_s = _bulk_floor(args.rows, departments, people, actor)
        print(f"\nfloor (bulk_create of the same records, no checks): {floor_s:.2f} s; load "
              f"average {os.getloadavg()[0]:.1f}")  # fmt: skip
        for file_format, total in totals.items():
            print(f"  {file_format} dry run / floor: {total / floor_s:.2f}x")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {maxrss:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
