"""API tokens for scripts: created with an expiry, revoked by their owner or an administrator."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import roles_of
from signin.models import ApiToken

# A token's last use is written at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user, name: str, expires_in_days: int | None = None, at=None
) -> tuple[ApiToken, str]:
    """A new token and its key; the key is shown once and only its digest is stored.

    The lifetime is 1 to FLYWHEEL_API_TOKEN_MAX_DAYS days (default FLYWHEEL_API_TOKEN_DAYS).
    """
    at = at or timezone.now()
    days = settings.FLYWHEEL_API_TOKEN_DAYS if expires_in_days is None else expires_in_days
    longest = settings.FLYWHEEL_API_TOKEN_MAX_DAYS
    if not 1 <= days <= longest:
        raise ValidationError(
            {
                "expires_in_days": [
                    _("A token lives between 1 and %(longest)s days.") % {"longest": longest}
                ]
            }
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name.strip() or "API token",
        prefix=key[:8],
        digest=token_digest(key),
        created_at=at,
        expires_at=at + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, at=None) -> ApiToken:
    """Revoke a token at once; only its owner or an administrator may. Revoking twice keeps
    the first revocation."""
    if actor.pk != token.user_id and not roles_of(actor).is_admin:
        raise PermissionDenied(_("Only the token's owner or an administrator revokes it."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = at or timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_used(*, token: ApiToken, at) -> None:
    """Record that the token was used (at most once per LAST_USED_RESOLUTION)."""
    if token.last_used_at is None or at - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
