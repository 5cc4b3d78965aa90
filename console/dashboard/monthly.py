"""The monthly portfolio pack's figures: the dashboard's, as plain data a month can keep.

The snapshot job keeps them under the month's key each time it runs (the last run in a
month stays as that month's figures); the pack of this month reads the dashboard live, the
pack of a past month reads what was kept. ``reports`` prints them (it sits below console and
asks through ``portfolio_figures_source``).
"""

import json

from console.dashboard.selectors import FiguresEncoder, dashboard, snapshot_read
from reports.packs import month_key


def _trend(row) -> dict | None:
    if row is None:
        return None
    return {"label": row.label, "share_faster": row.share_faster, "streak": row.streak}


def pack_figures(figures: dict) -> dict:
    """What the pack prints of ``selectors.dashboard()``'s figures, with no database rows in
    it (the velocity entries become names, values and labels), so that it keeps as JSON."""
    velocity = figures["velocity"]
    plain = {
        key: value
        for key, value in figures.items()
        if key not in {"snapshot_at", "computed_at", "velocity", "portfolio_trend", "zombies"}
    }
    zombies = figures["zombies"]
    return {
        **plain,
        "zombies": {"count": zombies["count"], "days": zombies["days"]},
        "velocity": {
            "measure": velocity["measure"],
            "measure_label": str(velocity["measure_label"]),
            "window": velocity["window"],
            "departments": [
                {
                    "department": {"name": entry["department"].name},
                    "points": [
                        {"value": point.value, "label": point.label, "title": point.title}
                        for point in entry["points"]
                    ],
                    "trend": _trend(entry["trend"]),
                }
                for entry in velocity["departments"]
            ],
        },
        "portfolio_trend": _trend(figures["portfolio_trend"]),
    }


def pack_figures_json() -> dict:
    """This moment's pack figures as the JSON the snapshot row keeps (Decimals exact)."""
    return json.loads(json.dumps(pack_figures(dashboard()), cls=FiguresEncoder))


def month_figures(month: str | None) -> dict | None:
    """The pack's figures: live for ``None`` (this month); for a past month those kept by the
    job's last run in it, with ``kept_at``; None when that month has none (1 query)."""
    if month is None:
        return pack_figures(dashboard())
    stored = snapshot_read(key=month_key(month))
    if stored is None:
        return None
    figures, kept_at = stored
    return {**figures, "kept_at": kept_at}
