"""Shared by several test modules (moved from tests.components.conftest)."""

from rest_framework.test import APIClient


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client
