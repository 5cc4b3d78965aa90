"""Two people submitting the same use case at the same moment: one transition, one record."""

import pytest

from core.errors import ConflictError
from portfolio import services
from portfolio.models import TransitionRecord, UseCase
from tests import factories
from tests.support.concurrency import run_at_once


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("count", [2, 8])
def test_concurrent_submits_make_exactly_one_transition(count):
    department = factories.DepartmentFactory()
    head = factories.head_of(department)
    use_case = factories.UseCaseFactory(department=department)

    results, errors = run_at_once(
        count,
        lambda: services.use_case_submit(use_case=UseCase.objects.get(pk=use_case.pk), actor=head),
    )

    assert len(results) == 1, errors
    assert len(errors) == count - 1
    assert all(isinstance(e, ConflictError) for e in errors), errors
    assert not any("locked" in str(e) for e in errors)
    assert TransitionRecord.objects.filter(use_case=use_case).count() == 1
    assert UseCase.objects.get(pk=use_case.pk).state == "submitted"


def test_the_fsm_state_fields_are_found_once_per_class():
    from portfolio.models import UseCase

    first, second = UseCase(), UseCase()

    # One tuple for the class (django-fsm scanned every field of each new instance).
    assert first.state_fields is second.state_fields
    assert [field.name for field in first.state_fields] == ["state"]
