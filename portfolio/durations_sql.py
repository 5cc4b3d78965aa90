"""The set-based SQL that derives velocity durations from the transition record.

The durations and their each-versus-previous labels are one statement with window functions
(LEAD to pair each hold with its resume, LAG over submission order for the predecessor), the
same on PostgreSQL and SQLite; only "days between two timestamps" is spelled per vendor.
A pure-Python reference of the same rules lives in the tests, and a property test holds the
two together on generated histories.
"""

from django.db import connection

from portfolio.models.velocity import PORTFOLIO_SCOPE
from portfolio.trend import FIRST, MEASURES, SLOWER, TREND_WINDOW

# A measure's start and end stage, and the stages whose holds fall inside it.


_SPANS = {
    "intake": ("submitted", "pilot", ("submitted",)),
    "pilot": ("pilot", "scale", ("pilot",)),
    "to_scale": ("submitted", "scale", ("submitted", "pilot")),
    "to_extend": ("submitted", "extend", ("submitted", "pilot", "scale")),
}


def days_sql(start: str, end: str, vendor: str | None = None) -> str:
    """SQL for the calendar days (with a fraction) from ``start`` to ``end``."""
    vendor = vendor or connection.vendor
    if vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"


def durations_sql(
    *,
    vendor: str | None = None,
    scopes: tuple[str, ...] = ("department", "portfolio"),
    department_filter: bool | int = False,
) -> str:
    """The SELECT of every completed duration with its sequence position and predecessor.

    Columns: scope, department_id, use_case_id, measure, submitted_at, position, value,
    hold_days, previous_use_case_id, previous_value, difference_days, ratio, label.
    ``scopes``: "department" sequences per department (scope ``department:<id>``),
    "portfolio" across the portfolio; the durations are derived once for all of them.
    ``department_filter`` adds a ``%s`` department id parameter (an int: that many).
    """
    vendor = vendor or connection.vendor
    where = ""
    if department_filter:
        marks = ", ".join(["%s"] * int(department_filter))
        where = (
            "WHERE r.use_case_id IN "
            f"(SELECT id FROM portfolio_usecase WHERE department_id IN ({marks}))"
        )
    hold_columns = ",\n".join(
        f"SUM(CASE WHEN transition = 'hold' AND next_transition = 'resume' "
        f"AND from_state = '{stage}' THEN {days_sql('at', 'next_at', vendor)} ELSE 0 END) "
        f"AS hold_{stage}"
        for stage in ("submitted", "pilot", "scale")
    )
    arms = []
    for measure in MEASURES:
        start, end, held = _SPANS[measure]
        hold = " + ".join(f"s.hold_{stage}" for stage in held)
        arms.append(
            f"SELECT s.use_case_id, s.department_id, s.submitted_at, '{measure}' AS measure, "
            f"ROUND(CAST({days_sql(f's.entered_{start}', f's.entered_{end}', vendor)} - ({hold}) "
            f"AS NUMERIC), 4) AS value, ROUND(CAST({hold} AS NUMERIC), 4) AS hold_days "
            f"FROM placed s WHERE s.entered_{start} IS NOT NULL AND s.entered_{end} IS NOT NULL"
        )
    union = "\nUNION ALL\n".join(arms)
    kinds = {
        "department": (
            "'department:' || CAST(d.department_id AS VARCHAR(20))",
            "d.department_id, d.measure",
        ),
        "portfolio": (f"'{PORTFOLIO_SCOPE}'", "d.measure"),
    }
    sequenced = []
    for kind in scopes:
        scope, partition = kinds[kind]
        window = f"PARTITION BY {partition} ORDER BY d.submitted_at, d.use_case_id"
        sequenced.append(
            f"""SELECT scope, department_id, use_case_id, measure, submitted_at, position, value,
       hold_days, previous_use_case_id, previous_value,
       value - previous_value AS difference_days,
       CASE WHEN previous_value > 0
            THEN ROUND(CAST(value * 1.0 / previous_value AS NUMERIC), 4) END AS ratio,
       CASE WHEN previous_value IS NULL THEN '{FIRST}'
            WHEN value < previous_value THEN 'faster'
            WHEN value > previous_value THEN '{SLOWER}'
            ELSE 'same' END AS label
FROM (
    SELECT {scope} AS scope, d.department_id, d.use_case_id, d.measure, d.submitted_at,
           ROW_NUMBER() OVER ({window}) AS position, d.value, d.hold_days,
           LAG(d.use_case_id) OVER ({window}) AS previous_use_case_id,
           LAG(d.value) OVER ({window}) AS previous_value
    FROM durations d
) sequenced_{kind}
WHERE true"""
        )
    selects = "\nUNION ALL\n".join(sequenced)
    return f"""
WITH rec AS (
    SELECT r.use_case_id, r.transition, r.from_state, r.at,
           LEAD(r.transition) OVER w AS next_transition,
           LEAD(r.at) OVER w AS next_at
    FROM portfolio_transitionrecord r
    {where}
    WINDOW w AS (PARTITION BY r.use_case_id ORDER BY r.at, r.id)
),
stages AS (
    SELECT use_case_id,
           MIN(CASE WHEN transition = 'submit' THEN at END) AS entered_submitted,
           MIN(CASE WHEN transition = 'advance_to_pilot' THEN at END) AS entered_pilot,
           MIN(CASE WHEN transition = 'advance_to_scale' THEN at END) AS entered_scale,
           MIN(CASE WHEN transition = 'advance_to_extend' THEN at END) AS entered_extend,
           {hold_columns}
    FROM rec
    GROUP BY use_case_id
),
placed AS (
    SELECT s.*, u.department_id, u.submitted_at
    FROM stages s JOIN portfolio_usecase u ON u.id = s.use_case_id
),
durations AS (
{union}
)
{selects}
"""


def trend_inputs(*, scopes: list[str] | None) -> tuple[list[dict], dict]:
    """Per (scope, measure): counts for the share faster and the streak, and the last
    ``TREND_WINDOW`` durations in order, from two queries over the stored snapshots."""
    scope_filter = ""
    params: list = []
    if scopes is not None:
        scope_filter = f"AND scope IN ({', '.join(['%s'] * len(scopes))})"
        params = list(scopes)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT scope, MIN(department_id), measure, COUNT(*),
                   SUM(CASE WHEN label = 'faster' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN label <> '{FIRST}' THEN 1 ELSE 0 END),
                   MAX(position) - COALESCE(MAX(CASE WHEN label <> '{SLOWER}'
                                                     THEN position END), 0)
            FROM portfolio_velocitysnapshot
            WHERE use_case_id IS NOT NULL AND period = '' {scope_filter}
            GROUP BY scope, measure
            ORDER BY scope, measure
            """,
            params,
        )
        groups = [
            {
                "scope": scope,
                "department_id": department_id,
                "measure": measure,
                "count": count,
                "faster": faster or 0,
                "compared": compared or 0,
                "streak": streak or 0,
            }
            for scope, department_id, measure, count, faster, compared, streak in cursor.fetchall()
        ]
        # Positions run 1..n in each sequence, so the window is "position > n - TREND_WINDOW".
        cursor.execute(
            f"""
            SELECT s.scope, s.measure, s.value
            FROM portfolio_velocitysnapshot s
            JOIN (
                SELECT scope, measure, MAX(position) AS last
                FROM portfolio_velocitysnapshot
                WHERE use_case_id IS NOT NULL AND period = '' {scope_filter}
                GROUP BY scope, measure
            ) g ON g.scope = s.scope AND g.measure = s.measure AND s.position > g.last - %s
            WHERE s.use_case_id IS NOT NULL AND s.period = ''
            ORDER BY s.scope, s.measure, s.position
            """,
            [*params, TREND_WINDOW],
        )
        series: dict[tuple[str, str], list[float]] = {}
        for scope, measure, value in cursor.fetchall():
            series.setdefault((scope, measure), []).append(float(value))
    return groups, series
