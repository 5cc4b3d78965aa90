"""CSV for every list: ``?format=csv`` streams the same filtered rows as one flat table.

Lists are streamed (a ``StreamingHttpResponse`` fed by a server-side cursor), so an export
of a million rows holds one batch in memory, never the whole list. Every cell that can hold
text goes through ``csv_safe`` so that a spreadsheet never runs a value as a formula.

Every CSV of the project writes a moment the same way (``csv_moment``): ISO 8601 in UTC, to
the second, "2026-11-30T10:15:00Z". A hot export formats it in the query (``CsvMoment``).
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.db.models import CharField, Func
from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from core.text import printable

# Rows fetched per round trip of the server-side cursor, and written per chunk of the body.
STREAM_BATCH = 2000
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection");
# tab and carriage return too, since some spreadsheets strip them before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = "".join(FORMULA_STARTS)
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
# A moment as the JSON renders it (DRF's ISO 8601, with microseconds and an offset or "Z").
JSON_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)")


def csv_safe(value):
    """A cell value safe to open in a spreadsheet: text that would start a formula gets a
    leading apostrophe (shown, never evaluated); numbers (also "-12.50" as text) and
    everything else pass unchanged. Control characters (core.text) are replaced, so one
    odd cell never fails a spreadsheet or a reader."""
    value = printable(value)
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_moment(value: datetime) -> str:
    """A moment in a CSV cell: ISO 8601 in UTC to the second ("2026-11-30T10:15:00Z")."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}Z"


class CsvMoment(Func):
    """``csv_moment`` computed by the database: the cell text, no timestamp parsed."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Stored as UTC text; "%%%%" is one "%" once Func and the driver have formatted it.
        template = "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%SZ', %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _cell_moment(value):
    if isinstance(value, datetime):
        return csv_moment(value)
    if isinstance(value, str) and JSON_MOMENT.fullmatch(value):
        return csv_moment(datetime.fromisoformat(value))
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
            flat[name] = "" if value is None else csv_safe(_cell_moment(value))
    return flat


class _Buffer:
    """A file-like object csv.writer writes into; ``take`` empties it."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> bytes:
        text = "".join(self.parts)
        self.parts.clear()
        return text.encode("utf-8")


def _row_writer(kinds: list[str] | None):
    """A function making one row safe: every cell through csv_safe (moments formatted), or,
    when the column kinds are known, only the text columns checked and the moments
    formatted (numbers, booleans, ids and our own choices cannot hold a formula)."""
    if kinds is None:
        return lambda row: [
            csv_safe(csv_moment(value) if isinstance(value, datetime) else value) for value in row
        ]
    text = [n for n, kind in enumerate(kinds) if kind == "text"]
    moments = [n for n, kind in enumerate(kinds) if kind == "time"]

    def safe(row):
        if row.__class__ is not list:
            row = list(row)
        for n in text:
            value = row[n]
            # Only a cell starting like a formula, or holding an unprintable character (a
            # line break, a control character), needs the full check.
            if value and (value[0] in FORMULA_FIRST or not value.isprintable()):
                row[n] = csv_safe(value)
        for n in moments:
            if row[n] is not None:
                row[n] = csv_moment(row[n])
        return row

    return safe


def csv_chunks(
    header: list[str], rows: Iterable[Iterable], kinds: list[str] | None = None
) -> Iterator[bytes]:
    """The CSV text of ``header`` and ``rows`` in chunks of ``STREAM_BATCH`` rows, every cell
    made safe (see _row_writer; ``kinds`` names each column "text" (a string or None),
    "time" (a datetime or None) or "plain")."""
    buffer = _Buffer()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(name) for name in header])
    yield buffer.take()
    safe = _row_writer(kinds)
    count = 0
    for row in rows:
        writer.writerow(safe(row))
        count += 1
        if count == STREAM_BATCH:
            count = 0
            yield buffer.take()
    if count:
        yield buffer.take()


def streamed_csv(
    *, filename: str, header: list[str], rows: Iterable[Iterable], kinds: list[str] | None = None
):
    """A CSV download whose body is produced while it is sent (flat memory)."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows, kinds), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def serialized_rows(queryset, serializer_class, context: dict) -> tuple[list[str], Iterator]:
    """Header and rows of a list rendered by its output serializer, a batch at a time from a
    server-side cursor (the generic path; hot lists read ``.values()`` instead)."""
    first = list(queryset[:1])
    sample = serializer_class(first, many=True, context=context).data
    if sample:
        header = list(flatten(sample[0]))
    else:
        header = list(flatten(dict.fromkeys(serializer_class(context=context).fields)))

    def rows():
        batch = []
        for instance in queryset.iterator(chunk_size=STREAM_BATCH):
            batch.append(instance)
            if len(batch) == STREAM_BATCH:
                yield from _flat_rows(batch, serializer_class, context, header)
                batch = []
        if batch:
            yield from _flat_rows(batch, serializer_class, context, header)

    return header, rows()


def _flat_rows(batch, serializer_class, context, header):
    for item in serializer_class(batch, many=True, context=context).data:
        flat = flatten(item)
        yield [flat.get(name, "") for name in header]


class CSVRenderer(BaseRenderer):
    """One object (a detail) as CSV; lists are streamed by the viewset instead."""

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
        writer = csv.writer(buffer)
        writer.writerow([csv_safe(name) for name in columns])
        writer.writerows([[csv_safe(row.get(name)) for name in columns] for row in rows])
        response = (renderer_context or {}).get("response")
        view = (renderer_context or {}).get("view")
        if response is not None and response.status_code < 400:
            name = getattr(view, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return buffer.getvalue().encode(self.charset)
