"""The API's cast: one person per role, and use cases in two departments (the `world` fixture)."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from governance import services as governance
from portfolio.models import UseCase
from tests import factories
from tests.support.clients import client_for


@pytest.fixture
def api():
    return client_for


@dataclass
class World:
    """Claims (the use cases' department) and Marketing, with one person per role.

    ``draft`` and ``submitted`` are Claims use cases; ``submitted`` has an open G0 review
    (``review``) from which the ``recused`` board member stood aside; ``second`` is
    submitted with no review yet.
    """

    department: object
    other_department: object
    users: dict
    seats: dict
    draft: UseCase
    submitted: UseCase
    second: UseCase
    review: object

    def client(self, role: str) -> APIClient:
        return client_for(self.users.get(role))


@pytest.fixture
def world(department, other_department, head, other_head, executive, admin_user):
    draft = factories.UseCaseFactory(department=department, title="Claims draft")
    submitted = factories.submitted(department, head, title="Claims submitted")
    second = factories.submitted(department, head, title="Claims second")
    _board, (chair_seat, member_seat, recused_seat) = factories.board_with(
        3, name="Portfolio board"
    )
    review = governance.review_request(use_case=submitted, actor=head)
    governance.vote_recuse(review=review, actor=recused_seat.user, reason="Former supplier.")
    users = {
        "anonymous": None,
        "head": head,
        "other_head": other_head,
        "board": member_seat.user,
        "recused": recused_seat.user,
        "chair": chair_seat.user,
        "executive": executive,
        "admin": admin_user,
    }
    seats = {"board": member_seat, "recused": recused_seat, "chair": chair_seat}
    return World(department, other_department, users, seats, draft, submitted, second, review)
