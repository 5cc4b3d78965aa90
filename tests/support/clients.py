"""An API client authenticated as a person (anonymous when None)."""

from rest_framework.test import APIClient


def client_for(user) -> APIClient:
    """An API client authenticated as ``user`` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
