"""API authentication with expiring, revocable tokens (``Authorization: Token <key>``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from signin.models import ApiToken
from signin.services import api_token_used
from signin.services.tokens import token_digest

REFUSALS = {"token_revoked": _("Token revoked."), "token_expired": _("Token expired.")}


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header, checked against stored digests, expiry and revocation."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
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
