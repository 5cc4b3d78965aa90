"""Real Celery workers on a real Redis for the job tests.

Each test gets a private redis-server on a free port (never the machine's shared Redis, so
no other engineer's worker can take these tasks), and the Celery app switched out of eager
mode onto it for the duration of the test.
"""

import pytest

from tests.support.jobs import redis_url, require_redis  # noqa: F401 (fixtures)
from tests.support.receiver import receiver  # noqa: F401  (fixture: a loopback HTTP receiver)

pytestmark = pytest.mark.services
