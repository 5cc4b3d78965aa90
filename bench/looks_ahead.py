"""The flywheel looks ahead, on a large synthetic portfolio: the forecasts at submission
(the back-test's rows) written by the velocity job, the back-test figures the dashboard
reads, and the cost-of-delay totals, each against an honest SQL floor in the same run.
Prints min/median of repeated runs and the ratios, and the back-test figures themselves
(mean absolute error, 80% coverage) of the synthetic portfolio. Not a test.

    python -m bench.looks_ahead                 # 100,000 use cases, 3 repetitions

Floors:
- forecasts: the statements the refresh reads its inputs with, replayed bare through the
  driver, plus writing the same number of rows with one INSERT ... SELECT (the database's
  share: what no Python pass can avoid);
- back-test figures: one hand-written GROUP BY over the stored forecasts (per department
  and measure, then per measure), the same figures;
- cost of delay: two hand-written aggregates (open reviews past 48 h; pilots past their
  time box with no review open), grouped by department, totals checked equal.

PostgreSQL only: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench.
"""

import argparse
import os
import statistics
import time
from decimal import Decimal

from bench._common import (
    bench_url,
    captured,
    compete,
    ensure_portfolio,
    explain,
    line,
    replayer,
    setup,
)

BACK_TEST_FLOOR = """
SELECT department_id, measure, COUNT(*), AVG(ABS(days - actual_days)),
       COUNT(*) FILTER (WHERE actual_days BETWEEN low AND high)
FROM portfolio_forecastsnapshot
WHERE use_case_id IS NOT NULL AND actual_days IS NOT NULL
GROUP BY department_id, measure
UNION ALL
SELECT NULL, measure, COUNT(*), AVG(ABS(days - actual_days)),
       COUNT(*) FILTER (WHERE actual_days BETWEEN low AND high)
FROM portfolio_forecastsnapshot
WHERE use_case_id IS NOT NULL AND actual_days IS NOT NULL
GROUP BY measure
"""

OVERDUE_FLOOR = """
SELECT u.department_id, COUNT(*),
       SUM(u.expected_benefit_yearly / 365.0
           * (EXTRACT(EPOCH FROM (%(at)s - r.requested_at)) / 86400.0 - 2.0))
FROM gates_gatereview r JOIN portfolio_usecase u ON u.id = r.use_case_id
WHERE r.status = 'open' AND r.requested_at < %(at)s - INTERVAL '48 hours'
GROUP BY u.department_id
"""

PURGATORY_FLOOR = """
SELECT u.department_id, COUNT(*),
       SUM(u.expected_benefit_yearly / 365.0
           * (EXTRACT(EPOCH FROM (%(at)s - p.started)) / 86400.0 - u.pilot_time_box_days))
FROM portfolio_usecase u
JOIN (SELECT use_case_id, MIN(at) AS started FROM portfolio_transitionrecord
      WHERE transition = 'advance_to_pilot' GROUP BY use_case_id) p ON p.use_case_id = u.id
WHERE u.state = 'pilot'
  AND EXTRACT(EPOCH FROM (%(at)s - p.started)) / 86400.0 > u.pilot_time_box_days
  AND NOT EXISTS (SELECT 1 FROM gates_gatereview r
                  WHERE r.use_case_id = u.id AND r.status = 'open')
GROUP BY u.department_id
"""


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


# A text like one use case of the synthetic portfolio, and one like all of them (each is
# "Synthetic use case N" with the same problem statement): the index's best and worst case.
SIMILAR_TEXTS = {
    "distinct text": "Fraud detection on motor claims",
    "text like every row": "Synthetic use case for benchmarks",
}


def similarity(repeat: int) -> None:
    """The similar use cases at intake against their own SQL replayed bare, and the plan
    (the GIN trigram index, migration 0020)."""
    from django.contrib.auth import get_user_model

    from portfolio.selectors_lessons import similar_use_cases

    user = get_user_model().objects.get(username="synthetic-01-head")
    for label, text in SIMILAR_TEXTS.items():

        def ours(text=text):
            return similar_use_cases(user=user, text=text)

        statements = captured(ours)
        times = compete({"ours": ours, "floor": replayer(statements)}, repeat * 3)
        print(line(f"similar use cases, {label}", times["ours"], times["floor"]), load())
        # The session's threshold is set by the first statement, as the runs above set it.
        print(explain(*statements[-1]))


def intake_page(department_id: int, repeat: int) -> None:
    """The intake page of a department head (a new use case), against its statements
    replayed bare; and its query count."""
    from django.test import Client

    page = Client()
    page.force_login(get_head(department_id))

    def ours():
        response = page.get("/use-cases/new/")
        assert response.status_code == 200
        return len(response.content)

    size = ours()
    statements = captured(ours)
    times = compete({"ours": ours, "floor": replayer(statements)}, repeat * 3)
    label = f"intake page ({len(statements)} statements, {size:,} bytes)"
    print(line(label, times["ours"], times["floor"]), load())


def get_head(department_id: int):
    from portfolio.choices import DepartmentRole
    from portfolio.models import Membership

    return (
        Membership.objects.filter(department_id=department_id, role=DepartmentRole.HEAD)
        .select_related("user")
        .first()
        .user
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--forecast-repeat",
        type=int,
        default=1,
        help="Timed full forecast refreshes against the floor (0: keep the stored rows).",
    )
    args = parser.parse_args(argv)
    setup(bench_url())
    ensure_portfolio(args.rows)

    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from governance.selectors_looks_ahead import delay_totals
    from portfolio.models import ForecastSnapshot, UseCase
    from portfolio.selectors_forecast import back_test_figures
    from portfolio.services.forecast import completions_read, forecasts_refresh
    from portfolio.services.velocity import velocity_recompute

    started = time.perf_counter()
    velocity_recompute()
    print(f"velocity recompute (skipped when unchanged): {time.perf_counter() - started:.1f} s")
    print(
        f"{UseCase.objects.count():,} use cases, "
        f"{UseCase.objects.filter(submitted_at__isnull=False).count():,} submitted"
    )

    # The forecasts: one full refresh against its floor.
    reads = captured(lambda: (completions_read(), list(UseCase.objects.values_list("pk"))))
    read_bare = replayer(reads)
    if not ForecastSnapshot.objects.exists():
        started = time.perf_counter()
        forecasts_refresh()
        print(f"first forecasts refresh: {time.perf_counter() - started:.1f} s", flush=True)
    rows = ForecastSnapshot.objects.count()

    def write_floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS fs_floor (LIKE portfolio_forecastsnapshot)"
            )
            cursor.execute("TRUNCATE fs_floor")
            cursor.execute("INSERT INTO fs_floor SELECT * FROM portfolio_forecastsnapshot")

    def floor():
        read_bare()
        write_floor()

    if args.forecast_repeat:
        # A full refresh takes minutes: the floor warmed up once, then each timed in turn
        # (no untimed warm-up of ours, which a stored portfolio's first refresh provided).
        floor()
        times: dict[str, list[float]] = {"ours": [], "floor": []}
        for _ in range(args.forecast_repeat):
            for name, fn in (("ours", forecasts_refresh), ("floor", floor)):
                started = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - started)
        print(
            line(f"forecasts at submission ({rows:,} rows)", times["ours"], times["floor"]),
            load(),
            flush=True,
        )
    else:
        times = compete({"floor": floor}, 1)
        print(f"forecast floor (inputs read bare, {rows:,} rows written): {times['floor']}")

    # After a transition: the largest department's refresh against its own statements
    # replayed bare (the stored forecasts settled by the full refresh above).
    department_id = (
        UseCase.objects.values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("department_id", flat=True)
        .first()
    )
    in_department = UseCase.objects.filter(department_id=department_id).count()

    def department_refresh():
        return forecasts_refresh(department_id=department_id)

    statements = captured(department_refresh)
    bare = replayer(statements)

    def department_floor():
        with transaction.atomic():
            bare()

    times = compete({"ours": department_refresh, "floor": department_floor}, args.repeat)
    print(
        line(
            f"refresh after a transition ({in_department:,} use cases there, "
            f"{len(statements)} statements)",
            times["ours"],
            times["floor"],
        ),
        load(),
        flush=True,
    )

    similarity(args.repeat)
    intake_page(department_id, args.repeat)

    at = timezone.now()

    def back_floor():
        with connection.cursor() as cursor:
            cursor.execute(BACK_TEST_FLOOR)
            return cursor.fetchall()

    times = compete({"ours": back_test_figures, "floor": back_floor}, args.repeat * 3)
    print(line("back-test figures (dashboard, API)", times["ours"], times["floor"]), load())

    def delay_floor():
        with connection.cursor() as cursor:
            cursor.execute(OVERDUE_FLOOR, {"at": at})
            overdue = cursor.fetchall()
            cursor.execute(PURGATORY_FLOOR, {"at": at})
            return overdue, cursor.fetchall()

    ours = delay_totals(at=at)
    overdue, purgatory = delay_floor()
    floor_overdue = sum(Decimal(str(row[2] or 0)) for row in overdue)
    floor_purgatory = sum(Decimal(str(row[2] or 0)) for row in purgatory)
    print(
        f"cost of delay: overdue {ours['overdue_total']:,.2f} (floor {floor_overdue:,.2f}), "
        f"purgatory {ours['purgatory_total']:,.2f} (floor {floor_purgatory:,.2f})"
    )
    times = compete({"ours": lambda: delay_totals(at=at), "floor": delay_floor}, args.repeat * 3)
    print(line("cost-of-delay totals (dashboard, pack)", times["ours"], times["floor"]), load())

    print("back-test of the synthetic portfolio (portfolio rows):")
    for row in back_test_figures():
        if row.department_id is None:
            print(
                f"  {row.measure:9} n={row.count:,}  MAE {row.mean_absolute_error} days  "
                f"coverage {row.coverage:.1%} ({row.covered:,})"
            )
    departments = [r for r in back_test_figures() if r.department_id is not None]
    coverages = [float(r.coverage) for r in departments if r.coverage is not None]
    if coverages:
        print(
            f"  departments: coverage median {statistics.median(coverages):.1%}, "
            f"min {min(coverages):.1%}, max {max(coverages):.1%}"
        )


if __name__ == "__main__":
    main()
