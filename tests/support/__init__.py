"""Helpers, fixtures and constants shared by test modules: no test module imports another."""
