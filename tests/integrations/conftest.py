"""The loopback receiver and fast webhook settings (tests.receiver) for these tests."""

from tests.receiver import board_flow, fast_webhooks, receiver  # noqa: F401  (fixtures)
