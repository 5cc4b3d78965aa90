"""The full velocity recompute on a large generated portfolio, against (a) the floor: the same
figures from one hand-written SQL query run directly through psycopg, and (b) a naive
per-use-case ORM loop. Prints the ratios from one run and the peak memory. Not a test.

    python -m bench.velocity                 # 100,000 use cases
    python -m bench.velocity --rows 1000000  # the million
    python -m bench.velocity --loop-sample 5000

PostgreSQL only: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench (created and migrated if missing). The
generated portfolio (console.demo.scale, bulk inserts) is kept between runs and topped up
to --rows. The naive loop runs on the first --loop-sample use cases in submission order, in a
transaction that is rolled back, and its time is extrapolated linearly to all use cases.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/flywheel_bench"

# The floor: every duration with its department and portfolio predecessor and label, in one
# statement written by hand for PostgreSQL (FILTER, LATERAL VALUES), fetched by the driver.
FLOOR_SQL = """
WITH rec AS (
    SELECT use_case_id, transition, from_state, at,
           LEAD(transition) OVER w AS next_transition, LEAD(at) OVER w AS next_at
    FROM portfolio_transitionrecord
    WINDOW w AS (PARTITION BY use_case_id ORDER BY at, id)
),
stages AS (
    SELECT use_case_id,
           MIN(at) FILTER (WHERE transition = 'submit') AS s,
           MIN(at) FILTER (WHERE transition = 'advance_to_pilot') AS p,
           MIN(at) FILTER (WHERE transition = 'advance_to_scale') AS c,
           MIN(at) FILTER (WHERE transition = 'advance_to_extend') AS e,
           COALESCE(SUM(EXTRACT(EPOCH FROM next_at - at)) FILTER (WHERE transition = 'hold'
               AND next_transition = 'resume' AND from_state = 'submitted'), 0) / 86400 AS hs,
           COALESCE(SUM(EXTRACT(EPOCH FROM next_at - at)) FILTER (WHERE transition = 'hold'
               AND next_transition = 'resume' AND from_state = 'pilot'), 0) / 86400 AS hp,
           COALESCE(SUM(EXTRACT(EPOCH FROM next_at - at)) FILTER (WHERE transition = 'hold'
               AND next_transition = 'resume' AND from_state = 'scale'), 0) / 86400 AS hc
    FROM rec GROUP BY use_case_id
),
d AS (
    SELECT u.id, u.department_id, u.submitted_at, m.measure,
           ROUND(m.days, 4) AS days, ROUND(m.hold, 4) AS hold
    FROM stages s JOIN portfolio_usecase u ON u.id = s.use_case_id
    CROSS JOIN LATERAL (VALUES
        ('intake', EXTRACT(EPOCH FROM s.p - s.s) / 86400 - s.hs, s.hs),
        ('pilot', EXTRACT(EPOCH FROM s.c - s.p) / 86400 - s.hp, s.hp),
        ('to_scale', EXTRACT(EPOCH FROM s.c - s.s) / 86400 - s.hs - s.hp, s.hs + s.hp),
        ('to_extend', EXTRACT(EPOCH FROM s.e - s.s) / 86400 - s.hs - s.hp - s.hc,
         s.hs + s.hp + s.hc)
    ) AS m(measure, days, hold)
    WHERE m.days IS NOT NULL
),
l AS (
    SELECT d.*,
           LAG(days) OVER (PARTITION BY department_id, measure ORDER BY submitted_at, id) AS pd,
           LAG(days) OVER (PARTITION BY measure ORDER BY submitted_at, id) AS pp
    FROM d
)
SELECT id, department_id, measure, days, hold,
       pd, days - pd, CASE WHEN pd IS NULL THEN 'first' WHEN days < pd THEN 'faster'
                           WHEN days > pd THEN 'slower' ELSE 'same' END,
       pp, days - pp, CASE WHEN pp IS NULL THEN 'first' WHEN days < pp THEN 'faster'
                           WHEN days > pp THEN 'slower' ELSE 'same' END
FROM l
"""


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import psycopg

    base, name = url.rsplit("/", 1)
    admin = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django
    import environ

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    # Under `make bench` another benchmark may have set Django up first, on its own
    # database: point the default connection at this benchmark's one.
    wanted = environ.Env.db_url_config(url)
    default = connections["default"]
    if default.settings_dict["NAME"] != wanted["NAME"]:
        default.close()
        default.settings_dict.update(
            {key: wanted[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")}
        )

    call_command("migrate", verbosity=0)


def _ensure_portfolio(rows: int) -> int:
    from console.demo.scale import generate_synthetic
    from portfolio.models import UseCase

    have = UseCase.objects.filter(department__slug__startswith="synthetic-").count()
    if have < rows:
        print(f"generating {rows - have:,} use cases (bulk inserts; kept for later runs)")
        started = time.perf_counter()
        generate_synthetic(count=rows - have, progress=sys.stderr.isatty())
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    return UseCase.objects.count()


def _floor(url: str) -> tuple[float, int]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.execute("SELECT count(*) FROM portfolio_transitionrecord").fetchone()  # warm
        started = time.perf_counter()
        rows = conn.execute(FLOOR_SQL).fetchall()
        return time.perf_counter() - started, len(rows)


def _recompute() -> tuple[float, object]:
    from portfolio.services.velocity import velocity_recompute

    started = time.perf_counter()
    result = velocity_recompute()
    return time.perf_counter() - started, result


def _recompute_peak_memory() -> int:
    """Peak Python allocation during one more (rerun) recompute; traced separately because
    tracemalloc slows the Python side down."""
    from portfolio.services.velocity import velocity_recompute

    tracemalloc.start()
    velocity_recompute()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _naive_loop(sample: int) -> tuple[float, int]:
    """What the set-based SQL replaces: per use case, read its record, compute in Python,
    compare with the previous one kept in a dict, write each row with update_or_create."""
    from django.db import transaction

    from portfolio import velocity
    from portfolio.models import UseCase, VelocitySnapshot

    started = time.perf_counter()
    done = 0
    with transaction.atomic():
        previous: dict[tuple[str, str], tuple[int, object]] = {}
        for use_case in UseCase.objects.filter(submitted_at__isnull=False).order_by(
            "submitted_at", "id"
        )[:sample]:
            records = list(
                use_case.transitions.order_by("at", "id").values_list(
                    "transition", "from_state", "to_state", "at"
                )
            )
            for measure, duration in velocity.durations(velocity.stage_times(records)).items():
                for scope in (f"department:{use_case.department_id}", "portfolio"):
                    before = previous.get((scope, measure))
                    comparison = velocity.compare(duration.days, before and before[1])
                    VelocitySnapshot.objects.update_or_create(
                        scope=scope,
                        period="",
                        measure=measure,
                        use_case=use_case,
                        defaults={
                            "department_id": use_case.department_id,
                            "value": duration.days,
                            "hold_days": duration.hold_days,
                            "previous_use_case_id": before and before[0],
                            "previous_value": comparison.previous_days,
                            "difference_days": comparison.difference_days,
                            "ratio": comparison.ratio,
                            "label": comparison.label,
                        },
                    )
                    previous[(scope, measure)] = (use_case.pk, duration.days)
            done += 1
        transaction.set_rollback(True)
    return time.perf_counter() - started, done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="use cases (1000000 too)")
    parser.add_argument("--loop-sample", type=int, default=2000)
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/velocity.py measures PostgreSQL: set BENCH_DATABASE_URL")
    _setup(url)
    from django.db import connection

    from portfolio.models import TransitionRecord, UseCase, VelocitySnapshot

    use_cases = _ensure_portfolio(args.rows)
    with connection.cursor() as cursor:
        # Fresh planner statistics for both contenders (autovacuum would do it in time).
        cursor.execute("ANALYZE portfolio_usecase, portfolio_transitionrecord")
    records = TransitionRecord.objects.count()
    submitted = UseCase.objects.filter(submitted_at__isnull=False).count()
    print(f"portfolio: {use_cases:,} use cases ({submitted:,} submitted), {records:,} records")

    floor_s, floor_rows = _floor(url)
    print(f"(a) floor, one hand-written query via psycopg: {floor_s:.2f} s, {floor_rows:,} rows")

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE portfolio_velocitysnapshot")
    cold_s, cold = _recompute()
    stored = VelocitySnapshot.objects.count()
    print(
        f"full recompute, empty table: {cold_s:.2f} s, {cold.duration_rows:,} duration rows "
        f"+ {cold.trend_rows} trend rows written ({stored:,} stored)"
    )
    warm_s, warm = _recompute()
    print(f"full recompute, rerun: {warm_s:.2f} s, {warm.duration_rows:,} rows changed")
    peak = _recompute_peak_memory()
    print(f"peak Python memory of a recompute (tracemalloc): {peak / 2**20:.1f} MiB")

    loop_s, looped = _naive_loop(args.loop_sample)
    loop_all = loop_s / max(looped, 1) * submitted
    print(
        f"(b) naive per-use-case ORM loop: {loop_s:.2f} s for {looped:,} use cases, "
        f"extrapolated to {submitted:,}: {loop_all:.0f} s"
    )
    print(
        f"ratios: recompute/floor {cold_s / floor_s:.2f}x (empty table), "
        f"{warm_s / floor_s:.2f}x (rerun); loop/recompute {loop_all / cold_s:.0f}x "
        f"(empty table), {loop_all / warm_s:.0f}x (rerun)"
    )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {maxrss:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
