"""A real OpenID Connect provider for the sign-in tests, in its own process, and the flow.

Each provider is the small django-oauth-toolkit project in ``provider/``, started on a free
loopback port with its own SQLite file and an RS256 key generated here. The tests drive the
authorization-code flow: the Django test client (or Chromium) plays Flywheel's side, a
``requests`` session plays the person's browser at the provider.
"""

import re
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from signin import provider as signin_provider
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "flywheel"
CLIENT_SECRET = "flywheel-client-secret-for-tests"
PASSWORD = "provider-pass-123"


@dataclass
class Provider:
    url: str
    issuer: str
    directory_secret: str

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/o/.well-known/openid-configuration"

    def _put(self, path: str, data: dict) -> dict:
        response = requests.put(
            f"{self.url}{path}",
            json=data,
            headers={"Authorization": f"Bearer {self.directory_secret}"},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def person(self, username: str, *, groups, email: str = "", name=("Pat", "Doe")) -> str:
        """Create or replace a person at the provider; returns their subject (sub)."""
        return self._put(
            f"/directory/people/{username}/",
            {
                "password": PASSWORD,
                "email": email or f"{username}@corp.example",
                "first_name": name[0],
                "last_name": name[1],
                "groups": list(groups),
            },
        )["sub"]

    def register(self, *sites: str) -> None:
        """Register Flywheel as a client, answering at each of ``sites``."""
        self._put(
            f"/directory/clients/{CLIENT_ID}/",
            {
                "secret": CLIENT_SECRET,
                "redirect_uris": [f"{site}/oidc/callback/" for site in sites],
                "post_logout_redirect_uris": [f"{site}/accounts/login/" for site in sites],
            },
        )

    def signed_in_as(self, browser: requests.Session) -> str | None:
        return browser.get(f"{self.url}/session/", timeout=10).json()["username"]


def start_provider(tmp: Path, name: str, claimed_issuer: str = ""):
    """Start a provider process; returns the Provider and the process (terminate it)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp / f"{name}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secret = secrets.token_urlsafe(16)
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "PROVIDER_DB": str(tmp / f"{name}.sqlite3"),
        "PROVIDER_KEY_FILE": str(key_file),
        "PROVIDER_ISSUER": f"{url}/o",
        "PROVIDER_CLAIMED_ISSUER": claimed_issuer,
        "PROVIDER_DIRECTORY_SECRET": secret,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.signin.provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if line.strip() != "ready":
        process.kill()
        raise RuntimeError(f"the test provider did not start: {line}{process.stderr.read()}")
    return Provider(url=url, issuer=claimed_issuer or f"{url}/o", directory_secret=secret), process


def use_provider(
    settings, provider: Provider, *, issuer: str | None = None, site="http://testserver"
):
    """Point Flywheel at ``provider`` (and register Flywheel there)."""
    provider.register(site)
    settings.OIDC_ISSUER = issuer or provider.issuer
    settings.OIDC_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Corp SSO"
    signin_provider.forget_discovery()


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def sign_in(client, provider: Provider, username: str, browser: requests.Session | None = None):
    """The authorization-code flow from Flywheel's login button to Flywheel's callback.

    Returns Flywheel's answer to the callback (and leaves the provider's cookies in
    ``browser``)."""
    browser = browser if browser is not None else requests.Session()
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302, start
    location = start["Location"]
    while urlsplit(location).netloc != "testserver":
        response = browser.get(location, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "csrfmiddlewaretoken" in response.text:
            response = browser.post(
                response.url,
                data={
                    "csrfmiddlewaretoken": _csrf(response.text),
                    "username": username,
                    "password": PASSWORD,
                },
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (301, 302), (response.status_code, response.text[:300])
        location = urljoin(response.url, response.headers["Location"])
    callback = urlsplit(location)
    return client.get(f"{callback.path}?{callback.query}")
