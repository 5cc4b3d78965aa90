"""Fixtures: the real OpenID Connect providers of the sign-in tests (see tests.signin.oidc)."""

import pytest

from tests.signin.oidc import start_provider, use_provider


@pytest.fixture(scope="session")
def providers(tmp_path_factory):
    """Three providers: the company's, another issuer, and an impostor that claims the
    company's issuer but signs with a key of its own."""
    tmp = tmp_path_factory.mktemp("providers")
    started = []
    try:
        company, process = start_provider(tmp, "company")
        started.append(process)
        other, process = start_provider(tmp, "other")
        started.append(process)
        impostor, process = start_provider(tmp, "impostor", claimed_issuer=company.issuer)
        started.append(process)
        yield {"company": company, "other": other, "impostor": impostor}
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def company(providers):
    return providers["company"]


@pytest.fixture
def configured(settings, company):
    use_provider(settings, company)
    return company
