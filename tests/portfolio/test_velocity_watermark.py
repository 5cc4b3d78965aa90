"""The nightly recompute skips the scopes whose transition record has not changed since their
last run (the watermark), and still notices every change that matters."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import UseCase, VelocitySnapshot, VelocityWatermark
from portfolio.models.velocity import PORTFOLIO_SCOPE, department_scope
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.velocity import at, walk


@pytest.fixture
def cases(request):
    """The seven hand-worked use cases of test_velocity_snapshots."""
    return request.getfixturevalue("claims")


def stored():
    return sorted(
        VelocitySnapshot.objects.values_list(
            "scope", "measure", "use_case_id", "position", "value", "previous_use_case_id", "label"
        ),
        key=repr,
    )


def other_pair(other_department, other_head):
    for title, day in (("X", 1), ("Y", 2)):
        use_case = factories.UseCaseFactory(department=other_department, title=title)
        walk(use_case, other_head, [("submit", at(2, day)), ("advance", at(2, day + 5))])


def test_a_rerun_on_an_unchanged_portfolio_skips_every_scope_in_a_few_queries(
    cases, other_department, other_head
):
    other_pair(other_department, other_head)
    first = velocity_recompute()
    before = stored()

    with CaptureQueriesContext(connection) as queries:
        again = velocity_recompute()

    assert first.duration_rows > 0
    assert (again.duration_rows, again.trend_rows, again.skipped_scopes) == (0, 0, 3)
    # savepoint, (PostgreSQL: the recompute's lock), fingerprints, watermark scopes, stored
    # rows, watermarks, release
    assert len(queries) <= 7
    assert stored() == before


def test_a_new_transition_recomputes_its_department_and_the_portfolio_only(
    cases, department, head, other_department, other_head
):
    other_pair(other_department, other_head)
    velocity_recompute()
    walk(cases["F"], head, [("advance", at(1, 20))])

    result = velocity_recompute()

    assert result.skipped_scopes == 1  # the other department
    assert result.duration_rows > 0
    marks = dict(VelocityWatermark.objects.values_list("scope", "records"))
    assert set(marks) == {
        department_scope(department.pk),
        department_scope(other_department.pk),
        PORTFOLIO_SCOPE,
    }
    incremental = stored()
    velocity_recompute(force=True)
    assert stored() == incremental  # the same rows as a full recompute


def test_rows_deleted_by_hand_are_rebuilt(cases, department):
    velocity_recompute()
    before = stored()
    VelocitySnapshot.objects.filter(scope=department_scope(department.pk)).delete()

    result = velocity_recompute()

    assert result.skipped_scopes == 1  # the portfolio's rows are intact
    assert stored() == before


def test_a_use_case_moved_to_another_department_moves_its_rows(cases, department, other_department):
    velocity_recompute()
    UseCase.objects.filter(pk=cases["A"].pk).update(department=other_department)

    result = velocity_recompute()

    assert result.removed_rows > 0
    other = VelocitySnapshot.objects.filter(
        scope=department_scope(other_department.pk), use_case__isnull=False
    )
    assert set(other.values_list("use_case_id", flat=True)) == {cases["A"].pk}
    assert not VelocitySnapshot.objects.filter(
        scope=department_scope(department.pk), use_case=cases["A"]
    ).exists()


def test_a_department_run_sets_its_own_watermark_and_force_recomputes(cases, department):
    first = velocity_recompute(department_id=department.pk)
    skipped = velocity_recompute(department_id=department.pk)
    forced = velocity_recompute(department_id=department.pk, force=True)

    assert first.duration_rows > 0
    assert (skipped.skipped_scopes, skipped.trend_rows) == (1, 0)
    assert (forced.skipped_scopes, forced.duration_rows) == (0, 0)
    assert forced.trend_rows > 0
