"""Every endpoint x every role x read/write, with the status each must get.

Claims holds a draft and a submitted use case under an open G0 review. Roles: anonymous, the
head of Claims, the head of Marketing, a board member, a board member recused from the
review, the board's chair, an executive, an administrator.
Another department's draft is 404 (never 403); a visible object someone may not change is 403.
"""

import pytest

from tests.api.matrix import CALLS, ROLES


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_status_by_role(world, call, role):
    path = call.path(world)
    body = call.body(world) if call.body else None

    response = getattr(world.client(role), call.method)(path, body)

    expected = call.statuses[role]
    assert response.status_code == expected, (role, call.name, response.content[:300])
    if expected >= 400:
        assert set(response.json()) >= {"code", "message"}


def test_every_routed_endpoint_is_in_the_matrix(world):
    """A new resource without a row here fails this test."""
    from gates.api.urls import router as gates
    from governance.api.urls import router as governance_router
    from portfolio.api.urls import router as portfolio

    routed = {
        prefix
        for router in (portfolio, gates, governance_router)
        for prefix, _, _ in router.registry
    }
    covered = {call.path(world).split("/")[2] for call in CALLS}

    assert routed <= covered
