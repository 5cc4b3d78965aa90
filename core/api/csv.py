"""CSV for every list: ``?format=csv`` renders the same filtered rows as one flat table."""

import csv
import io
import json
import re

from rest_framework.renderers import BaseRenderer

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection");
# tab and carriage return too, since some spreadsheets strip them before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def csv_safe(value):
    """A cell value safe to open in a spreadsheet: text that would start a formula gets a
    leading apostrophe (shown, never evaluated); numbers (also "-12.50" as text) and
    everything else pass unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def flatten(row, prefix: str = "") -> dict:
    """A nested representation as one flat row: ``a.b`` columns, lists joined by "; "."""
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = csv_safe(
                "; ".join(
                    json.dumps(item, default=str, sort_keys=True)
                    if isinstance(item, (dict, list))
                    else str(item)
                    for item in value
                )
            )
        else:
            flat[name] = "" if value is None else csv_safe(value)
    return flat


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            data = data["results"]
        rows = [flatten(item) for item in (data if isinstance(data, list) else [data])]
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        response = (renderer_context or {}).get("response")
        view = (renderer_context or {}).get("view")
        if response is not None and response.status_code < 400:
            name = getattr(view, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return buffer.getvalue().encode(self.charset)
