"""The transition record is append-only: no interface edits or deletes it."""

import pytest
from django.db import DatabaseError, connection, transaction

from core.models import AppendOnlyError
from portfolio import services
from portfolio.models import TransitionRecord


@pytest.fixture
def record(use_case, head):
    services.use_case_submit(use_case=use_case, actor=head)
    return TransitionRecord.objects.get(use_case=use_case)


def test_saving_an_existing_record_raises(record):
    record.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        record.save()


def test_deleting_a_record_raises(record):
    with pytest.raises(AppendOnlyError):
        record.delete()


def test_queryset_update_and_delete_raise(record):
    with pytest.raises(AppendOnlyError):
        TransitionRecord.objects.filter(pk=record.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        TransitionRecord.objects.all().delete()
    assert TransitionRecord.objects.get(pk=record.pk).reason == ""


def test_database_refuses_raw_update_on_postgres(record, require_postgres):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portfolio_transitionrecord SET reason = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM portfolio_transitionrecord")
    assert TransitionRecord.objects.filter(pk=record.pk, reason="").exists()


def test_deleting_a_submitted_use_case_is_refused(record, use_case, head):
    from core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.use_case_delete_draft(actor=head, use_case=use_case)
