"""Two first sign-ins of the same person at the same moment: one person, one identity, no
error (the loser of the insert race starts again and finds the winner's identity)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from signin.models import Identity
from signin.services import person_sign_in

ISSUER = "https://id.example.test"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_sign_ins_create_one_person():
    barrier = threading.Barrier(6)
    results, errors = [], []

    def sign_in():
        try:
            barrier.wait(timeout=10)
            user, _ = person_sign_in(
                issuer=ISSUER,
                subject="subject-42",
                claims={"preferred_username": "ada", "email": "ada@example.test"},
                groups=[],
            )
            results.append(user.pk)
        except Exception as exc:  # collected: the assertion below names it
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 6 and len(set(results)) == 1
    assert Identity.objects.filter(issuer=ISSUER, subject="subject-42").count() == 1
    assert get_user_model().objects.filter(username__startswith="ada").count() == 1
