"""API authentication with expiring, revocable tokens (``Authorization: Token <key>``)."""

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from signin.models import ApiToken
from signin.services import api_token_used
from signin.services.tokens import token_digest

REFUSALS = {"token_revoked": _("Token revoked."), "token_expired": _("Token expired.")}


def _converters(model) -> list[tuple]:
    """Each column's attname and the converters the ORM applies to it on this database (a
    SQLite moment comes back as text, a PostgreSQL one as a datetime)."""
    found = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        converters = [
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        ]
        found.append((field.attname, converters, column))
    return found


@cache
def _statement() -> tuple[str, list, list]:
    """The token and its person in one statement, written once: the ORM compiled the same
    join on every request, which cost more than running it."""
    user_model = get_user_model()
    token_columns, user_columns = _converters(ApiToken), _converters(user_model)
    quote = connection.ops.quote_name
    columns = [f"t.{quote(c[0])}" for c in token_columns]
    columns += [f"u.{quote(c[0])}" for c in user_columns]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(user_model._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
        f"WHERE t.{quote('digest')} = %s"
    )
    return sql, token_columns, user_columns


def _instance(model, columns: list, values) -> object:
    converted = []
    for (_name, converters, column), value in zip(columns, values, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [c[0] for c in columns], converted)


def _token(key: str) -> ApiToken | None:
    """The stored token of ``key`` with its person, read fresh on every request (a revoked
    token is refused at once), as model instances without the ORM's compilation."""
    sql, token_columns, user_columns = _statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_digest(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(token_columns)
    token = _instance(ApiToken, token_columns, row[:split])
    user = _instance(get_user_model(), user_columns, row[split:])
    ApiToken.user.field.set_cached_value(token, user)
    return token


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header, checked against stored digests, expiry and revocation."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = _token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        refusal = token.refusal(at=now)
        if refusal is not None:
            raise exceptions.AuthenticationFailed(REFUSALS[refusal], code=refusal)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        api_token_used(token=token, at=now)
        return token.user, token
