"""The components cast: an API client per person, a use case in pilot with a board."""

import pytest

from components import services


@pytest.fixture
def vendor(admin_user):
    return services.component_create(
        actor=admin_user, kind="vendor", name="Acme Models GmbH", country="DE", dpa_signed=True
    )
