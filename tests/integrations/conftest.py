"""The loopback receiver and fast webhook settings (tests.support.receiver) for these tests."""

from tests.support.receiver import board_flow, fast_webhooks, receiver  # noqa: F401  (fixtures)
