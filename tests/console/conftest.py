"""Helpers of the console tests: decided use cases (the board fixtures are shared)."""
