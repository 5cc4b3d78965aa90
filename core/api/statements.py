"""A list page's statements, compiled once per shape and run with parameters.

The ORM compiles a list's page and count on every request (tens of columns, joins, the
ordering), which costs more than PostgreSQL takes to run them. A list asked in the same
shape (the same view, the same roles, the same ordering, no filter) runs the same SQL with
other limits, so the statements are kept per shape: the page's SQL with ``LIMIT %s OFFSET
%s`` appended and the ORM's converters for its columns, the count's SQL as the ORM ran it.
A request with filters compiles its own (the filters' values and the organisation's own
fields shape the SQL), and so does the first request of a shape.

A list whose select list holds subqueries (the review list's latest evidence and verdict)
pages its ids first (``ids_first``): the subqueries are computed for the page's rows only,
not for every row an OFFSET skips.
"""

from collections import OrderedDict
from threading import Lock

from django.db import connections
from django.db.models.expressions import RawSQL

# Shapes kept (the roles of many people, each ordering): the oldest is dropped beyond this.
KEPT = 512
# Stand-ins for the page's limit and offset while a statement that pages its ids in a
# subquery is compiled; replaced by the real ones at each request.
_LIMIT, _OFFSET = -918_273_645_001, -918_273_645_002

_kept: OrderedDict = OrderedDict()
_lock = Lock()


class Statements:
    """The count's and the page's SQL of one list shape, with how to read the page's rows."""

    def __init__(self, count_sql, count_params, page_sql, page_params, names, converters):
        self.count_sql, self.count_params = count_sql, tuple(count_params)
        self.page_sql, self.page_params = page_sql, tuple(page_params)
        self.names, self.converters = names, converters


def kept(key) -> Statements | None:
    if key is None:
        return None
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
        return found


def keep(key, statements: Statements) -> None:
    if key is None:
        return
    with _lock:
        _kept[key] = statements
        while len(_kept) > KEPT:
            _kept.popitem(last=False)


def forget() -> None:
    """Drop every kept statement (tests that change the schema's shape)."""
    with _lock:
        _kept.clear()


def compile_page(rows_queryset, queryset, *, ids_first: bool) -> tuple[str, list, list, list]:
    """The page's SQL (limit and offset as the two last parameters, or as stand-ins inside
    when the ids are paged first), its parameters, column names and converters."""
    if ids_first:
        ids = queryset.values("pk")
        ids_sql, ids_params = ids.query.get_compiler(ids.db).as_sql()
        rows_queryset = rows_queryset.filter(
            pk__in=RawSQL(f"{ids_sql} LIMIT %s OFFSET %s", (*ids_params, _LIMIT, _OFFSET))
        )
    query = rows_queryset.query
    compiler = query.get_compiler(rows_queryset.db)
    sql, params = compiler.as_sql()
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = list(compiler.get_converters(fields).items())
    if not ids_first:
        sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, _LIMIT, _OFFSET]
    return sql, list(params), names, converters


def page_params(statements: Statements, limit: int, offset: int) -> list:
    return [limit if p == _LIMIT else offset if p == _OFFSET else p for p in statements.page_params]


def converted(rows, statements: Statements, using: str):
    """The page's rows as dicts by column name, converted as the ORM converts them."""
    connection = connections[using]
    names, converters = statements.names, statements.converters
    for row in rows:
        if converters:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
        yield dict(zip(names, row, strict=True))
