"""Every write of sign-in. Keyword-only, typed, one transaction each."""

from signin.services.mappings import group_mapping_create, group_mapping_delete
from signin.services.people import identity_link, person_roles_apply, person_sign_in
from signin.services.tokens import api_token_create, api_token_revoke, api_token_used

__all__ = [
    "api_token_create",
    "api_token_revoke",
    "api_token_used",
    "group_mapping_create",
    "group_mapping_delete",
    "identity_link",
    "person_roles_apply",
    "person_sign_in",
]
