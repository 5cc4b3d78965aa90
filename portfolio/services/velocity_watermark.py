"""Which velocity scopes changed since their last run: a fingerprint of the transition record
per department (count, highest id, sum of use case ids) against the stored watermarks, and
the stored duration rows against the rows the last run left."""

from django.db import connection

from portfolio.models import VelocityWatermark
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope

Fingerprint = tuple[int, int, int]


def fingerprints(*, department_id: int | None = None) -> dict[str, Fingerprint]:
    """Per department scope (and the portfolio, for a whole-portfolio read), the record's
    fingerprint now (1 aggregate query)."""
    where, params = "", []
    if department_id is not None:
        where, params = "WHERE u.department_id = %s", [department_id]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT u.department_id, COUNT(*), MAX(r.id), SUM(r.use_case_id)
            FROM portfolio_transitionrecord r JOIN portfolio_usecase u ON u.id = r.use_case_id
            {where}
            GROUP BY u.department_id
            """,
            params,
        )
        rows = cursor.fetchall()
    result = {
        department_scope(dept): (int(count), int(last), int(total))
        for dept, count, last, total in rows
    }
    if department_id is None:
        result[PORTFOLIO_SCOPE] = (
            sum(f[0] for f in result.values()),
            max((f[1] for f in result.values()), default=0),
            sum(f[2] for f in result.values()),
        )
    return result


def department_scopes(current: dict[str, Fingerprint]) -> list[str]:
    """Department scopes with a record now, and those that had one at their last run (their
    use cases may all have moved away: their old rows must go)."""
    stored = VelocityWatermark.objects.filter(scope__startswith="department:").values_list(
        "scope", flat=True
    )
    return sorted({s for s in current if s != PORTFOLIO_SCOPE} | set(stored))


def stored_rows(scopes: list[str]) -> dict[str, int]:
    """Duration rows stored per scope (1 query over the snapshots' unique index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT scope, COUNT(*) FROM portfolio_velocitysnapshot
            WHERE use_case_id IS NOT NULL AND period = ''
              AND scope IN ({", ".join(["%s"] * len(scopes))})
            GROUP BY scope
            """,
            scopes,
        )
        return dict(cursor.fetchall())


def changed_scopes(
    wanted: list[str], current: dict[str, Fingerprint], *, force: bool = False
) -> tuple[list[str], dict[str, int]]:
    """The scopes of ``wanted`` whose record or stored rows differ from their watermark (all
    of them with ``force``), and the duration rows stored per scope now."""
    rows = stored_rows(wanted)
    if force:
        return list(wanted), rows
    marks = {w.scope: w for w in VelocityWatermark.objects.filter(scope__in=wanted)}
    empty = (0, 0, 0)
    changed = [
        scope
        for scope in wanted
        if scope not in marks
        or marks[scope].fingerprint != current.get(scope, empty)
        or marks[scope].rows != rows.get(scope, 0)
    ]
    return changed, rows


def watermarks_save(*, scopes: list[str], current: dict[str, Fingerprint], at) -> None:
    """Remember what the record looked like for the scopes just recomputed."""
    rows = stored_rows(scopes)
    VelocityWatermark.objects.bulk_create(
        [
            VelocityWatermark(
                scope=scope,
                records=current.get(scope, (0, 0, 0))[0],
                last_record_id=current.get(scope, (0, 0, 0))[1],
                use_case_sum=current.get(scope, (0, 0, 0))[2],
                rows=rows.get(scope, 0),
                computed_at=at,
            )
            for scope in scopes
        ],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["records", "last_record_id", "use_case_sum", "rows", "computed_at"],
    )
