"""Forms may lead to the sign-in provider (logout through its end-session page) only when
sign-in is configured; otherwise form-action stays 'self'."""

import re


def form_action(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    (directive,) = re.findall(r"form-action ([^;]*)", policy)
    return directive.split()


def test_without_a_provider_forms_submit_only_to_this_site(client, db):
    assert form_action(client.get("/accounts/login/")) == ["'self'"]


def test_with_a_provider_its_origin_is_allowed_too(client, db, settings):
    settings.OIDC_ISSUER = "https://id.example.test:8443/realms/acme"
    settings.OIDC_RP_CLIENT_ID = "flywheel"
    settings.OIDC_RP_CLIENT_SECRET = "secret"

    assert form_action(client.get("/accounts/login/")) == [
        "'self'",
        "https://id.example.test:8443",
    ]
