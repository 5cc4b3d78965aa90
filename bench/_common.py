"""What the benchmarks share: the database they run on (created, migrated and filled once),
contenders timed in turns and reported as min/median with their ratio, EXPLAIN output, and
statements replayed bare through the driver (the floor of "the same SQL, no Python")."""

import os
import statistics
import sys
import time
import tracemalloc

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/flywheel_bench"


def bench_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmarks measure PostgreSQL: set BENCH_DATABASE_URL")
    return url


def dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def setup(url: str) -> None:
    """Django on ``url`` (created and migrated if missing), quiet logs, mail kept in memory."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(dsn(base) + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django
    import environ

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["*"]
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


def ensure_portfolio(rows: int) -> None:
    """Top the synthetic portfolio up to ``rows`` use cases (kept between runs)."""
    from console.demo.scale import generate_synthetic
    from portfolio.models import UseCase

    have = UseCase.objects.filter(department__slug__startswith="synthetic-").count()
    if have < rows:
        print(f"generating {rows - have:,} use cases (COPY in batches; kept for later runs)")
        started = time.perf_counter()
        generate_synthetic(count=rows - have, progress=sys.stderr.isatty(), total=rows)
        print(f"  generated in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    # What autovacuum does in time: statistics and the visibility map (index-only scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def ensure_velocity() -> None:
    """The stored velocity figures, computed once if the table is empty."""
    from portfolio.models import VelocitySnapshot

    if not VelocitySnapshot.objects.exists():
        from portfolio.services.velocity import velocity_recompute

        velocity_recompute()


def compete(contenders: dict, repeat: int) -> dict[str, list[float]]:
    """Time each contender ``repeat`` times, in turns (a change in the machine's load weighs
    on all of them alike), after one untimed warm-up each."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, fn in contenders.items():
            started = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - started)
    return times


def line(label: str, ours: list[float], floor: list[float], target: float | None = None) -> str:
    """``label: ours min/median vs floor min/median = ratio of medians (min ratio)``."""
    ratio = statistics.median(ours) / statistics.median(floor)
    low = min(ours) / min(floor)
    verdict = ""
    if target is not None:
        verdict = "  OK" if ratio <= target else f"  OVER {target}x"
    return (
        f"{label:44} {_ms(min(ours))}/{_ms(statistics.median(ours))} vs "
        f"{_ms(min(floor))}/{_ms(statistics.median(floor))}  "
        f"{ratio:5.2f}x (min {low:4.2f}x){verdict}"
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms" if seconds < 10 else f"{seconds:8.2f} s "


def explain(sql: str, params=()) -> str:
    """The plan PostgreSQL chooses for a statement, with the time it took (one run)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}", params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def captured(fn) -> list[tuple[str, tuple]]:
    """The statements ``fn`` runs, with their parameters (for a bare replay)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection), connection.execute_wrapper(keep):
        fn()
    return statements


def replayer(statements):
    """A function that runs the statements bare on a psycopg cursor and fetches every row:
    the cost of the SQL itself, without the ORM, serializers or templates."""
    from django.db import connection

    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")

    def run():
        with connection.cursor() as cursor:
            for sql, params in statements:
                if sql.startswith(skip):
                    continue
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()

    return run


def peak_memory(fn) -> tuple[object, int]:
    """The result of ``fn`` and the peak of Python allocations while it ran (tracemalloc)."""
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak
