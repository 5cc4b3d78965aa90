"""The whole sign-in journey in Chromium: Flywheel's login page, the provider's, back to
Flywheel with the mapped role, and logout that ends the provider's session."""

import pytest
from django.contrib.auth import get_user_model

from signin.services import group_mapping_create
from tests.signin.oidc import PASSWORD, start_provider, use_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    """The company's provider: a real OpenID Connect provider process (tests/signin/provider)."""
    provider, process = start_provider(tmp_path_factory.mktemp("provider"), "company")
    yield provider
    process.terminate()
    process.wait(timeout=10)


def test_a_department_head_signs_in_with_the_company_account_and_out_again(
    page,
    shot,
    settings,
    live_server,
    company,
    department,
):
    use_provider(settings, company, site=live_server.url)
    group_mapping_create(group="claims-heads", role="department_head", department=department)
    company.person("ines", groups=["claims-heads"], name=("Ines", "Ortega"))

    page.goto("/accounts/login/")
    shot(page, "signin-01-login-page")
    page.click("#provider-sign-in")
    page.wait_for_url(f"{company.url}/login/**")
    assert page.locator("h1", has_text="Test identity provider").is_visible()
    page.fill("input[name=username]", "ines")
    page.fill("input[name=password]", PASSWORD)
    shot(page, "signin-02-provider")
    page.click("[type=submit]")

    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".who", has_text="Ines Ortega").is_visible()
    assert page.locator("nav a", has_text="My department").is_visible()
    shot(page, "signin-03-signed-in")
    assert get_user_model().objects.get(username="ines").memberships.get().department == department

    page.locator(".who button", has_text="Log out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/**")
    assert page.locator("#provider-sign-in").is_visible()
    page.goto(f"{company.url}/session/")
    assert '"username": null' in page.content()

    # Signing in again needs the password at the provider: its session ended too.
    page.goto("/accounts/login/")
    page.click("#provider-sign-in")
    page.wait_for_url(f"{company.url}/login/**")
