"""`manage.py velocity`: the full recompute in-process, and its refusal to --enqueue eagerly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portfolio.models import FlagKind, VelocitySnapshot


def test_velocity_command_recomputes_everything_in_process(slow_pilot, department):
    out, err = StringIO(), StringIO()

    call_command("velocity", stdout=out, stderr=err)

    scopes = set(VelocitySnapshot.objects.values_list("scope", flat=True))
    assert scopes == {"portfolio", f"department:{department.pk}"}
    assert slow_pilot.flags.filter(kind=FlagKind.SLOWER_THAN_PREVIOUS, cleared_at=None).exists()
    assert "Velocity recomputed: 4 snapshot rows" in out.getvalue()
    assert "portfolio" in err.getvalue()  # the progress bar


def test_velocity_command_twice_changes_nothing(slow_pilot, department):
    call_command("velocity", "--no-progress", stdout=StringIO())
    before = list(VelocitySnapshot.objects.order_by("id").values())
    out = StringIO()

    call_command("velocity", "--no-progress", stdout=out)

    assert list(VelocitySnapshot.objects.order_by("id").values()) == before
    assert "0 snapshot rows written or changed, 0 portfolio flags raised" in out.getvalue()


def test_enqueue_needs_a_broker(db):
    with pytest.raises(CommandError, match="eager mode"):
        call_command("velocity", "--enqueue", stdout=StringIO())
