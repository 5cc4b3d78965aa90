"""The compliance cast: use cases by tier, their people, and stored documents in a temporary
media root (FileSystemStorage, the default)."""

import pytest

from compliance import services
from tests.support.receiver import fast_webhooks, receiver  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def catalogue(db):
    """The shipped catalogue (the migration loads it; a flushed database gets it again)."""
    services.catalogue_load()
