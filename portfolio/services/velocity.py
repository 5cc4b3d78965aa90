"""Writing the velocity snapshots: set-based upserts on the natural key, so a rerun changes
nothing and a redelivered job leaves no duplicates."""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from portfolio.durations_sql import durations_sql, trend_inputs
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope
from portfolio.services import velocity_watermark as watermark
from portfolio.trend import round_days, trend

TABLE = "portfolio_velocitysnapshot"
DURATION_COLUMNS = (
    "scope",
    "department_id",
    "use_case_id",
    "measure",
    "submitted_at",
    "position",
    "value",
    "hold_days",
    "previous_use_case_id",
    "previous_value",
    "difference_days",
    "ratio",
    "label",
)
TREND_BATCH = 250
# pg_advisory_xact_lock key of the velocity recompute ("velo" in ASCII).
RECOMPUTE_LOCK = 0x76656C6F
ANALYZE_AFTER_ROWS = 10_000
TREND_COLUMNS = (
    "scope",
    "department_id",
    "measure",
    "position",
    "value",
    "label",
    "share_faster",
    "streak",
    "median_days",
)


def _changed(columns) -> str:
    """The ON CONFLICT ... WHERE that skips rows whose values are already the same."""
    if connection.vendor == "postgresql":
        mine = ", ".join(f"{TABLE}.{c}" for c in columns)
        theirs = ", ".join(f"excluded.{c}" for c in columns)
        return f"({mine}) IS DISTINCT FROM ({theirs})"
    return " OR ".join(f"{TABLE}.{c} IS NOT excluded.{c}" for c in columns)


def _upsert_tail(key: str, predicate: str, columns) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*columns, "computed_at"))
    return (
        f"ON CONFLICT ({key}) WHERE {predicate} DO UPDATE SET {updates} WHERE {_changed(columns)}"
    )


@dataclass(frozen=True)
class RecomputeResult:
    duration_rows: int
    trend_rows: int
    removed_rows: int
    # Scopes whose record had not changed since their last run (nothing recomputed there).
    skipped_scopes: int = 0


def _upsert_durations(
    *, department_ids: list[int] | None, scopes: tuple[str, ...], now_param, empty: bool = False
) -> int:
    """Compute and upsert duration rows in one statement (durations derived once).

    ``empty``: no row is stored for these scopes (checked under the recompute's lock), so a
    plain INSERT writes them, with no comparison and no conflict handling.
    """
    columns = ", ".join((*DURATION_COLUMNS, "period", "computed_at"))
    changed = ["value", "hold_days", "previous_use_case_id", "previous_value"]
    changed += ["difference_days", "ratio", "label", "position", "department_id", "submitted_at"]
    tail = _upsert_tail("scope, period, measure, use_case_id", "use_case_id IS NOT NULL", changed)
    select = durations_sql(scopes=scopes, department_filter=len(department_ids or ()))
    if empty:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} ({columns}) "
                f"SELECT {', '.join(DURATION_COLUMNS)}, '', %s FROM ({select}) computed",
                [now_param, *(department_ids or ())],
            )
            return max(cursor.rowcount, 0)
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    unchanged = " AND ".join(f"stored.{c} {same} computed.{c}" for c in changed)
    # Rows already stored with the same values are filtered out by one anti-join, so a
    # rerun probes no index row by row and writes nothing.
    sql = (
        f"INSERT INTO {TABLE} ({columns}) "
        f"SELECT {', '.join(DURATION_COLUMNS)}, '', %s FROM ({select}) computed "
        f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} stored "
        f"WHERE stored.use_case_id = computed.use_case_id AND stored.scope = computed.scope "
        f"AND stored.measure = computed.measure AND stored.period = '' AND {unchanged}) "
        f"{tail}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now_param, *(department_ids or ())])
        return max(cursor.rowcount, 0)


def _remove_moved(*, department_ids: list[int] | None) -> int:
    """Drop department rows of use cases that now belong to another department."""
    scope_filter = ""
    if department_ids is not None:
        scope_filter = f"AND s.department_id IN ({', '.join(['%s'] * len(department_ids))})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {TABLE}
            WHERE id IN (
                SELECT s.id FROM {TABLE} s JOIN portfolio_usecase u ON u.id = s.use_case_id
                WHERE s.scope <> %s AND s.use_case_id IS NOT NULL
                  AND u.department_id <> s.department_id {scope_filter}
            )
            """,
            [PORTFOLIO_SCOPE, *(department_ids or ())],
        )
        return max(cursor.rowcount, 0)


def _upsert_trends(*, scopes: list[str] | None, now_param) -> int:
    """Status, Theil-Sen slope, share faster and streak per (scope, measure)."""
    groups, series = trend_inputs(scopes=scopes)
    rows = []
    for group in groups:
        result = trend(series.get((group["scope"], group["measure"]), []))
        share = group["faster"] / group["compared"] if group["compared"] else None
        rows.append(
            (
                group["scope"],
                group["department_id"] if group["scope"] != PORTFOLIO_SCOPE else None,
                f"trend:{group['measure']}",
                group["count"],
                round_days(result.slope),
                result.status,
                None if share is None else round_days(share),
                group["streak"],
                round_days(result.median_days),
                "",
                now_param,
            )
        )
    if not rows:
        return 0
    columns = ", ".join((*TREND_COLUMNS, "period", "computed_at"))
    row_sql = f"({', '.join(['%s'] * (len(TREND_COLUMNS) + 2))})"
    tail = _upsert_tail("scope, period, measure", "use_case_id IS NULL", TREND_COLUMNS[1:])
    with connection.cursor() as cursor:
        # Multi-row statements (a few hundred rows each) rather than a round trip per row.
        for start in range(0, len(rows), TREND_BATCH):
            batch = rows[start : start + TREND_BATCH]
            cursor.execute(
                f"INSERT INTO {TABLE} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                f"{tail}",
                [value for row in batch for value in row],
            )
    return len(rows)


@transaction.atomic
def velocity_recompute(
    *, department_id: int | None = None, portfolio_only: bool = False, at=None, force=False
) -> RecomputeResult:
    """Recompute the stored velocity figures from the transition record.

    With ``department_id``: that department's sequence and trends. With ``portfolio_only``:
    the portfolio-wide ones. Without either: every department's and the portfolio's.
    Idempotent: the upsert on the natural key (scope, period, measure, use case) rewrites
    only rows whose values changed. A scope whose record has not changed since its last run
    (its watermark) is skipped, so a nightly run on a quiet portfolio costs two aggregate
    queries; ``force`` recomputes regardless.
    """
    if department_id is not None and portfolio_only:
        raise ValueError("A department's recompute is not the portfolio's.")
    now = at or timezone.now()
    now_param = connection.ops.adapt_datetimefield_value(now)
    if connection.vendor == "postgresql":
        # One recompute at a time (a department's job and the nightly run may overlap):
        # what is stored stays what the watermarks say until the transaction ends.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOMPUTE_LOCK])
    current = watermark.fingerprints(department_id=department_id)
    if department_id is not None:
        wanted = [department_scope(department_id)]
    elif portfolio_only:
        wanted = [PORTFOLIO_SCOPE]
    else:
        wanted = [*watermark.department_scopes(current), PORTFOLIO_SCOPE]
    changed, stored = watermark.changed_scopes(wanted, current, force=force)
    if not changed:
        return RecomputeResult(0, 0, 0, skipped_scopes=len(wanted))
    department_ids = [int(scope.split(":")[1]) for scope in changed if scope != PORTFOLIO_SCOPE]
    portfolio = PORTFOLIO_SCOPE in changed
    removed = _remove_moved(department_ids=department_ids) if department_ids else 0
    full = department_id is None and not portfolio_only
    if full and portfolio and len(department_ids) == len(wanted) - 1:
        # Everything changed (a first run): derive the durations once for every scope.
        written = _upsert_durations(
            department_ids=None,
            scopes=("department", "portfolio"),
            now_param=now_param,
            empty=not any(stored.values()),
        )
    else:
        written = 0
        if department_ids:
            written += _upsert_durations(
                department_ids=department_ids,
                scopes=("department",),
                now_param=now_param,
                empty=not any(stored.get(department_scope(d)) for d in department_ids),
            )
        if portfolio:
            written += _upsert_durations(
                department_ids=None,
                scopes=("portfolio",),
                now_param=now_param,
                empty=not stored.get(PORTFOLIO_SCOPE),
            )
    if written >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        # After a bulk write the planner's row estimates are stale until autovacuum runs;
        # fresh statistics keep the next run's anti-join a hash join, not 500k index probes.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
    trends = _upsert_trends(scopes=changed, now_param=now_param)
    watermark.watermarks_save(scopes=changed, current=current, at=now)
    return RecomputeResult(
        duration_rows=written,
        trend_rows=trends,
        removed_rows=removed,
        skipped_scopes=len(wanted) - len(changed),
    )
