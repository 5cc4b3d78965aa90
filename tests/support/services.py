"""The rule for tests that need real services: skip loudly, or fail in CI."""

import os

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip loudly on a laptop; fail when REQUIRE_SERVICES=1 (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 and {reason}", pytrace=False)
    pytest.skip(f"SERVICE MISSING: {reason}")
