"""In-process schemathesis run against /api/schema/: every operation, authenticated as each
role, positive and negative data. No server error, every response conforms to the schema and
every status is documented.

At least FUZZ_MIN_REQUESTS requests are made (1,000 in CI); locally set FUZZ_EXAMPLES and
FUZZ_MIN_REQUESTS lower to scale it down.
"""

import os

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from portfolio import services
from signin.services import api_token_create
from tests import factories
from tests.support.records import (
    business,
    conditional_go,
    flag_on,
    rebaseline_of,
    velocity_of,
)

IN_CI = os.environ.get("CI") == "true"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12" if IN_CI else "4"))
MIN_REQUESTS = int(os.environ.get("FUZZ_MIN_REQUESTS", "1000" if IN_CI else "150"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def no_connection_recycling():
    """As Django's test client does: requests must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzz(operation, tokens: dict, mode: GenerationMode) -> int:
    calls = []

    @hypothesis.given(
        case=operation.as_strategy(generation_mode=mode), role=st.sampled_from(list(tokens))
    )
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case, role):
        headers = {"Authorization": f"Token {tokens[role]}"} if tokens[role] else {}
        case.call_and_validate(headers=headers, checks=CHECKS)
        calls.append(1)

    run()
    return len(calls)


@pytest.fixture
def rich_world(world):
    """The world with a decision, its condition, a re-baselining request, a reading, a
    flag and velocity rows, so that every list answers with real rows to validate."""
    decision = conditional_go(world)
    rebaseline_of(world)
    factories.ReadingFactory(metric=business(world.submitted))
    flag_on(world.submitted)
    velocity_of(world.submitted)
    services.artifact_save(
        actor=world.users["head"], use_case=world.submitted, kind="scale_memo", content="Memo"
    )
    services.notification_send(recipients=world.users.values(), kind="test", subject="Hi")
    assert decision.conditions.exists()
    return world


@pytest.mark.services
def test_the_api_keeps_its_schema_under_fuzzing(
    require_postgres, rich_world, no_connection_recycling
):
    world = rich_world
    tokens = {
        role: (api_token_create(user=user, name="fuzz")[1] if user else None)
        for role, user in world.users.items()
    }
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

    requests, failures, operations = 0, [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                requests += fuzz(operation, tokens, mode)
            # Collected (schemathesis raises a BaseExceptionGroup), so that one run reports
            # the failures of every operation.
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")

    if os.environ.get("FUZZ_REPORT"):
        print(
            f"FUZZ {operations} operations x 2 modes: {requests} requests, {len(failures)} failed"
        )
    assert not failures, "\n\n".join(failures)
    assert requests >= MIN_REQUESTS
