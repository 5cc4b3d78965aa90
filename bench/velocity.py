"""The velocity recompute on a large synthetic portfolio against its floor: one hand-written
``INSERT ... SELECT`` with window functions writing the same rows into the same table (and a
check that both leave identical rows); the nightly rerun on an unchanged portfolio (the
watermark skip); the naive per-use-case ORM loop, measured on a whole smaller portfolio.
Prints min/median of repeated runs and the ratios. Not a test.

    python -m bench.velocity                   # 100,000 use cases, 3 repetitions
    python -m bench.velocity --rows 1000000 --repeat 1
    python -m bench.velocity --naive-rows 3000  # the smaller portfolio of the naive loop

PostgreSQL only: BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/flywheel_bench (created and migrated if missing); the
naive loop runs on a second database named after it with a ``_small`` suffix.
"""

import argparse
import resource
import statistics
import sys
import time

from bench._common import bench_url, compete, ensure_portfolio, line, peak_memory, setup

TABLE = "portfolio_velocitysnapshot"
COMPARED = (
    "scope, period, measure, use_case_id, department_id, position, submitted_at, value, "
    "hold_days, previous_use_case_id, previous_value, difference_days, ratio, label"
)

# The floor: every duration of every use case, sequenced per department and across the
# portfolio, labelled against its predecessor and written in one statement (PostgreSQL's
# FILTER and LATERAL VALUES, by hand).
FLOOR_INSERT = f"""
INSERT INTO {TABLE} ({COMPARED}, computed_at)
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
               AND next_transition = 'resume' AND from_state = 'submitted'), 0) / 86400.0 AS hs,
           COALESCE(SUM(EXTRACT(EPOCH FROM next_at - at)) FILTER (WHERE transition = 'hold'
               AND next_transition = 'resume' AND from_state = 'pilot'), 0) / 86400.0 AS hp,
           COALESCE(SUM(EXTRACT(EPOCH FROM next_at - at)) FILTER (WHERE transition = 'hold'
               AND next_transition = 'resume' AND from_state = 'scale'), 0) / 86400.0 AS hc
    FROM rec GROUP BY use_case_id
),
d AS (
    SELECT u.id, u.department_id, u.submitted_at, m.measure,
           ROUND(m.days, 4) AS days, ROUND(m.hold, 4) AS hold
    FROM stages s JOIN portfolio_usecase u ON u.id = s.use_case_id
    CROSS JOIN LATERAL (VALUES
        ('intake', EXTRACT(EPOCH FROM s.p - s.s) / 86400.0 - s.hs, s.hs),
        ('pilot', EXTRACT(EPOCH FROM s.c - s.p) / 86400.0 - s.hp, s.hp),
        ('to_scale', EXTRACT(EPOCH FROM s.c - s.s) / 86400.0 - (s.hs + s.hp), s.hs + s.hp),
        ('to_extend', EXTRACT(EPOCH FROM s.e - s.s) / 86400.0 - (s.hs + s.hp + s.hc),
         s.hs + s.hp + s.hc)
    ) AS m(measure, days, hold)
    WHERE m.days IS NOT NULL
),
q AS (
    SELECT 'department:' || department_id AS scope, d.*,
           ROW_NUMBER() OVER w AS pos, LAG(id) OVER w AS pid, LAG(days) OVER w AS pv
    FROM d WINDOW w AS (PARTITION BY department_id, measure ORDER BY submitted_at, id)
    UNION ALL
    SELECT 'portfolio', d.*, ROW_NUMBER() OVER w, LAG(id) OVER w, LAG(days) OVER w
    FROM d WINDOW w AS (PARTITION BY measure ORDER BY submitted_at, id)
)
SELECT scope, '', measure, id, department_id, pos, submitted_at, days, hold, pid, pv, days - pv,
       CASE WHEN pv > 0 THEN ROUND(days * 1.0 / pv, 4) END,
       CASE WHEN pv IS NULL THEN 'first' WHEN days < pv THEN 'faster'
            WHEN days > pv THEN 'slower' ELSE 'same' END,
       now()
FROM q
"""


def _sql(statement: str, params=()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def _empty() -> None:
    _sql(f"TRUNCATE {TABLE}, portfolio_velocitywatermark")


def _floor() -> int:
    from django.db import transaction

    _empty()
    with transaction.atomic():
        return _sql(FLOOR_INSERT)


def _recompute(**kwargs):
    from portfolio.services.velocity import velocity_recompute

    return velocity_recompute(**kwargs)


def _identical() -> tuple[int, int]:
    """Rows only the floor wrote, rows only the recompute wrote (duration rows)."""
    _floor()
    _sql(
        f"DROP TABLE IF EXISTS bench_floor_rows; CREATE TABLE bench_floor_rows AS "
        f"SELECT {COMPARED} FROM {TABLE}"
    )
    _empty()
    _recompute()
    mine = f"SELECT {COMPARED} FROM {TABLE} WHERE use_case_id IS NOT NULL"
    only_floor = _sql(f"CREATE TEMP TABLE a AS SELECT * FROM bench_floor_rows EXCEPT {mine}")
    only_ours = _sql(f"CREATE TEMP TABLE b AS {mine} EXCEPT SELECT * FROM bench_floor_rows")
    _sql("DROP TABLE a, b, bench_floor_rows")
    return only_floor, only_ours


def _naive_loop() -> int:
    """What the set-based SQL replaces: per use case, read its record, compute in Python (the
    reference rules of tests/reference_velocity.py), compare with the previous one kept in a
    dict, write each row with update_or_create. Every use case of the portfolio."""
    from portfolio.models import UseCase, VelocitySnapshot
    from tests import reference_velocity as reference

    done = 0
    previous: dict[tuple[str, str], tuple[int, object]] = {}
    position: dict[tuple[str, str], int] = {}
    for use_case in UseCase.objects.filter(submitted_at__isnull=False).order_by(
        "submitted_at", "id"
    ):
        records = list(
            use_case.transitions.order_by("at", "id").values_list(
                "transition", "from_state", "to_state", "at"
            )
        )
        for measure, duration in reference.durations(reference.stage_times(records)).items():
            for scope in (f"department:{use_case.department_id}", "portfolio"):
                before = previous.get((scope, measure))
                comparison = reference.compare(duration.days, before and before[1])
                position[(scope, measure)] = position.get((scope, measure), 0) + 1
                VelocitySnapshot.objects.update_or_create(
                    scope=scope,
                    period="",
                    measure=measure,
                    use_case=use_case,
                    defaults={
                        "department_id": use_case.department_id,
                        "submitted_at": use_case.submitted_at,
                        "position": position[(scope, measure)],
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
    return done


def _naive(url: str, rows: int, repeat: int) -> None:
    setup(url)
    ensure_portfolio(rows)
    from portfolio.models import TransitionRecord, UseCase

    print(
        f"\nsmaller portfolio: {UseCase.objects.count():,} use cases, "
        f"{TransitionRecord.objects.count():,} records"
    )

    def recompute():
        _empty()
        _recompute(force=True)

    def naive():
        _empty()
        _naive_loop()

    times = compete({"recompute": recompute, "naive": naive}, max(1, repeat - 1))
    print(line("naive ORM loop vs recompute (empty table)", times["naive"], times["recompute"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="use cases (1000000 too)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-rows", type=int, default=3000, help="0 skips the naive loop")
    args = parser.parse_args(argv)
    url = bench_url()
    setup(url)
    from portfolio.models import TransitionRecord, UseCase

    ensure_portfolio(args.rows)
    print(
        f"portfolio: {UseCase.objects.count():,} use cases "
        f"({UseCase.objects.filter(submitted_at__isnull=False).count():,} submitted), "
        f"{TransitionRecord.objects.count():,} records"
    )
    only_floor, only_ours = _identical()
    print(f"identical rows: {only_floor} only in the floor's, {only_ours} only in the recompute's")

    def recompute_cold():
        _empty()
        _recompute()

    times = compete({"recompute": recompute_cold, "floor": _floor}, args.repeat)
    print(
        line(
            "recompute into an empty table vs INSERT..SELECT",
            times["recompute"],
            times["floor"],
            1.2,
        )
    )
    # The nightly run on an unchanged portfolio: the watermarks say nothing moved.
    _empty()
    _recompute()
    skip = [_timed(_recompute) for _ in range(args.repeat)]
    forced = [_timed(lambda: _recompute(force=True)) for _ in range(args.repeat)]
    print(line("nightly rerun, nothing changed (skipped)", skip, times["floor"]))
    print(line("forced rerun, nothing changed (compared)", forced, times["floor"]))
    _, peak = peak_memory(lambda: _recompute(force=True))
    print(f"peak Python memory of a recompute (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"median recompute: {statistics.median(times['recompute']):.2f} s")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {maxrss:.0f} MiB")
    if args.naive_rows:
        _naive(url + "_small", args.naive_rows, args.repeat)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    main(sys.argv[1:])
