"""Claims the provider puts in ID tokens and userinfo: names, e-mail, and ``groups``."""

import os

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    # Every claim whatever the scopes, as company providers configured for an app do.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        # An impostor provider writes another issuer into the tokens it signs.
        claimed = os.environ.get("PROVIDER_CLAIMED_ISSUER")
        if claimed:
            claims["iss"] = claimed
        return claims, expiration_time
