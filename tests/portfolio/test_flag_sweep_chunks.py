"""The flag sweep works in chunks of use cases, each in its own transaction: its queries are
a fixed number per chunk whatever the number of use cases in it, and a sweep stopped between
chunks leaves each chunk done whole or not at all, which the next sweep completes."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import Flag, FlagKind, Notification, UseCase
from portfolio.services import flags
from tests import factories
from tests.support.velocity import at, walk

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _stalled_pilots(department, head, count: int) -> list[UseCase]:
    """Use cases in pilot since January whose owner left and data assessment was withdrawn,
    metrics never read: each raises a stall and a stale-metrics flag at NOW."""
    made = []
    for _ in range(count):
        use_case = factories.UseCaseFactory(department=department)
        walk(use_case, head, [("submit", at(1, 1)), ("advance", at(1, 2))])
        made.append(use_case)
    UseCase.objects.filter(pk__in=[u.pk for u in made]).update(data_existing="")
    return made


def _sweep_queries(department) -> int:
    with CaptureQueriesContext(connection) as queries:
        flags.flags_sweep(department_id=department.pk, at=NOW)
    return len(queries)


@pytest.fixture
def departments(db):
    """Three departments with a head each and 1, 2 and 3 stalled pilots."""
    made = []
    for size in (1, 2, 3):
        department = factories.DepartmentFactory(name=f"Dept {size}", slug=f"dept-{size}")
        head = factories.head_of(department, username=f"head-{size}")
        _stalled_pilots(department, head, size)
        made.append(department)
    return made


def test_the_sweep_takes_the_same_queries_per_chunk_whatever_its_size(departments, monkeypatch):
    one, two, three = departments
    monkeypatch.setattr(flags, "SWEEP_CHUNK", 20)
    one_chunk = [_sweep_queries(one), _sweep_queries(three)]
    assert Flag.objects.filter(use_case__department=three).count() == 6  # stall + stale each
    Flag.objects.all().delete()
    Notification.objects.filter(kind="flag_raised").delete()
    monkeypatch.setattr(flags, "SWEEP_CHUNK", 1)
    by_chunks = [_sweep_queries(one), _sweep_queries(two), _sweep_queries(three)]

    assert one_chunk[0] == one_chunk[1]  # 1 or 3 use cases in one chunk: the same queries
    per_chunk = by_chunks[1] - by_chunks[0]
    assert per_chunk > 0
    assert by_chunks[2] - by_chunks[1] == per_chunk  # 1, 2, 3 chunks: linear in chunks
    assert Flag.objects.filter(cleared_at=None).count() == 12
    # Each flag told its owner and its head once.
    assert Notification.objects.filter(kind="flag_raised").count() == 2 * 12


def test_a_sweep_stopped_between_chunks_is_completed_by_the_next(departments, monkeypatch):
    three = departments[2]
    ids = list(UseCase.objects.filter(department=three).order_by("pk").values_list("pk", flat=True))
    raised = Notification.objects.filter(kind="flag_raised")
    monkeypatch.setattr(flags, "SWEEP_CHUNK", 1)
    real = flags._sweep_chunk
    calls = []

    def stopped_after_the_first(chunk_ids, *, at):
        calls.append(chunk_ids)
        if len(calls) > 1:
            raise RuntimeError("worker lost")
        return real(chunk_ids, at=at)

    monkeypatch.setattr(flags, "_sweep_chunk", stopped_after_the_first)
    with pytest.raises(RuntimeError):
        flags.flags_sweep(department_id=three.pk, at=NOW)

    # The first chunk is done whole (its flags and their notifications), the rest not at all.
    flagged = set(Flag.objects.values_list("use_case_id", flat=True))
    assert flagged == {ids[0]}
    assert Flag.objects.count() == 2
    assert raised.count() == 4

    monkeypatch.setattr(flags, "_sweep_chunk", real)
    results = flags.flags_sweep(department_id=three.pk, at=NOW)

    assert results[FlagKind.STALL_IN_PROGRESS].raised == 2  # only what was missing
    assert results[FlagKind.STALE_METRICS].raised == 2
    assert results[FlagKind.STALL_IN_PROGRESS].still_open == 3
    open_flags = Flag.objects.filter(cleared_at=None)
    assert sorted(open_flags.values_list("use_case_id", flat=True)) == sorted(ids * 2)
    # Nobody was told twice about the same flag.
    assert raised.count() == 2 * 6
    assert raised.values("recipient", "subject").distinct().count() == 2 * 6
