"""The floor of an API list page over HTTP: a bare WSGI application (no Django request,
middleware, view or serializer) that checks the token with one query, reads the page and the
count with hand-written SQL through the driver, and writes the same bytes as the API (DRF's
compact JSON, its next/previous links, the serializer's field order). Served by gunicorn with
the same options as the API, by `bench.http_lists`."""

import json
import os
from urllib.parse import parse_qs

from bench._common import setup

setup(os.environ["BENCH_DATABASE_URL"])  # gunicorn imports this module in its worker

from django.db import connection  # noqa: E402

from bench import api as lists  # noqa: E402
from governance.api.serializers import GateReviewSerializer  # noqa: E402
from portfolio.api.serializers import UseCaseSerializer  # noqa: E402
from portfolio.api.velocity import VelocitySnapshotSerializer  # noqa: E402
from signin.services.tokens import token_digest  # noqa: E402

PAGE = lists.PAGE
_build_values, _use_case_columns = lists._use_case_builder()


def _build_use_case(row):
    out = _build_values(row)
    # The organisation's own fields (jsonb, which Django's connection reads as text).
    out["custom"] = json.loads(row["custom"]) or {}
    return out


USE_CASE_FIELDS = list(UseCaseSerializer.Meta.fields)
VELOCITY_FIELDS = list(VelocitySnapshotSerializer.Meta.fields)


def _velocity_row(row):
    row = {k: lists._iso(v) for k, v in row.items()}
    row["use_case"] = row.pop("use_case_id")
    row["department"] = row.pop("department_id")
    row["previous_use_case"] = row.pop("previous_use_case_id")
    return row


# The review page with its ids paged first: the latest evidence and the verdict (subqueries
# in the select list) computed for the page's rows only, not for every row OFFSET skips.
_REVIEW_ORDER = " ORDER BY r.requested_at DESC, r.id DESC"
REVIEW_PAGE = lists.REVIEW_SELECT.replace(
    f"{_REVIEW_ORDER} LIMIT %s OFFSET %s",
    " WHERE r.id IN (SELECT id FROM gates_gatereview ORDER BY requested_at DESC, id DESC "
    f"LIMIT %s OFFSET %s){_REVIEW_ORDER}",
)
assert REVIEW_PAGE != lists.REVIEW_SELECT

LISTS = {
    "/api/use-cases/": (
        f"SELECT {_use_case_columns}, u.custom FROM portfolio_usecase u "
        "JOIN portfolio_department d ON d.id = u.department_id "
        "ORDER BY u.created_at DESC, u.id DESC LIMIT %s OFFSET %s",
        "SELECT count(*) FROM portfolio_usecase",
        _build_use_case,
        USE_CASE_FIELDS,
    ),
    "/api/velocity/": (
        f"SELECT {lists.VELOCITY_COLUMNS} FROM portfolio_velocitysnapshot "
        "ORDER BY scope, measure, position, id LIMIT %s OFFSET %s",
        "SELECT count(*) FROM portfolio_velocitysnapshot",
        _velocity_row,
        VELOCITY_FIELDS,
    ),
    "/api/reviews/": (
        REVIEW_PAGE,
        "SELECT count(*) FROM gates_gatereview",
        lists.review_row,
        list(GateReviewSerializer.Meta.fields),
    ),
}


def _link(scheme: str, host: str, path: str, page: int, last: int) -> str | None:
    if page < 1 or page > last:
        return None
    base = f"{scheme}://{host}{path}"
    return base if page == 1 else f"{base}?page={page}"


def application(environ, start_response):
    path = environ["PATH_INFO"]
    page = int(parse_qs(environ.get("QUERY_STRING", "")).get("page", ["1"])[0])
    key = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Token ")
    if path not in LISTS:  # the start-up probe
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    select, count_sql, build, fields = LISTS[path]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.is_active FROM signin_apitoken t JOIN auth_user u ON u.id = t.user_id "
            "WHERE t.digest = %s AND t.revoked_at IS NULL AND t.expires_at > now()",
            [token_digest(key)],
        )
        if not cursor.fetchone():
            start_response("401 Unauthorized", [("Content-Type", "application/json")])
            return [b'{"detail":"Invalid token."}']
        cursor.execute(count_sql)
        count = cursor.fetchone()[0]
        cursor.execute(select, [PAGE, (page - 1) * PAGE])
        names = [c.name for c in cursor.description]
        rows = [build(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]
    last = max(1, -(-count // PAGE))
    host = environ.get("HTTP_HOST", "")
    # Behind the TLS proxy production runs behind (SECURE_PROXY_SSL_HEADER), as the API.
    scheme = "https" if environ.get("HTTP_X_FORWARDED_PROTO") == "https" else "http"
    body = {
        "count": count,
        "next": _link(scheme, host, path, page + 1, last),
        "previous": _link(scheme, host, path, page - 1, last),
        "results": [{name: row[name] for name in fields} for row in rows],
    }
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(content)))]
    )
    return [content]
