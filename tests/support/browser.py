"""Chromium through Playwright: the browser, a page on the live server, signing in."""

import os
from pathlib import Path

import pytest

from tests.support.services import skip_or_fail

# Playwright's sync API runs an event loop in this thread; Django's ORM calls are still
# synchronous here, so the async-safety check would only get in the way.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


CHROMIUM = Path(os.environ.get("FLYWHEEL_CHROMIUM", "/usr/bin/chromium"))


ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 1440, "height": 900}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, username: str, password: str = "pass-word-123", *, path="/accounts/login/"):
    page.goto(path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # The login form's own button (the header's language switcher is a form too).
    page.click("main [type=submit]")
    page.wait_for_load_state("networkidle")
