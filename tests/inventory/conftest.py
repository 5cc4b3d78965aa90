"""Helpers for the inventory tests: files written the way spreadsheets write them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import EXECUTIVES_GROUP
from tests import factories
from tests.support.inventory import EXPECTED


@pytest.fixture
def importer(db):
    return factories.administrator(username="importer", email="importer@example.com")


@pytest.fixture
def claims(db):
    return factories.DepartmentFactory(name="Claims", slug="claims")


@pytest.fixture
def owner(db):
    return factories.UserFactory(username="olivia", email="olivia@example.com")


@pytest.fixture
def cast(db):
    """The people and departments the registers name (expected.json)."""
    executives, _ = Group.objects.get_or_create(name=EXECUTIVES_GROUP)
    User = get_user_model()
    for person in EXPECTED["people"]:
        user = User.objects.create_user(
            username=person["username"], email=person["email"],
            first_name=person["first_name"], last_name=person["last_name"],
        )  # fmt: skip
        if person["executive"]:
            user.groups.add(executives)
    for name in EXPECTED["departments"]:
        factories.DepartmentFactory(name=name, slug=name.lower())
    return factories.administrator(username="pmo-admin")
