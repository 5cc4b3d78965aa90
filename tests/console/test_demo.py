"""The demo portfolio: realistic, deterministic, idempotent, and telling the velocity story."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from console.demo.story import DEMO_LOGINS, DEMO_PASSWORD
from core.roles import roles_of
from gates.models import GateReview
from governance.models import Decision
from portfolio.choices import State
from portfolio.models import (
    Department,
    Flag,
    FlagKind,
    MetricReading,
    TransitionRecord,
    UseCase,
    VelocitySnapshot,
)


def intake_days(slug: str) -> list[float]:
    """Submitted-to-pilot days of a department's use cases, in submission order."""
    days = []
    for use_case in UseCase.objects.filter(department__slug=slug).order_by("submitted_at"):
        moves = {r.to_state: r.at for r in use_case.transitions.all()}
        if "submitted" in moves and "pilot" in moves:
            days.append((moves["pilot"] - moves["submitted"]).total_seconds() / 86400)
    return days


@pytest.mark.django_db
def test_demo_portfolio_tells_the_story_and_loads_once():
    call_command("load_demo", "--no-progress", stdout=StringIO())

    assert Department.objects.count() >= 6
    assert 70 <= UseCase.objects.count() <= 90
    states = dict(UseCase.objects.values_list("state").annotate(n=Count("id")))
    assert set(states) == set(State.values), states
    # Every forward move was authorised by a recorded gate decision.
    forward = TransitionRecord.objects.filter(to_state__in=["pilot", "scale", "extend"])
    assert forward.exists()
    assert not forward.filter(authorisation_id__isnull=True).exists()
    assert Decision.objects.count() >= forward.count()
    assert GateReview.objects.filter(status="open").exists()
    assert MetricReading.objects.count() > 1000
    # Some departments accelerate, some decelerate.
    claims, people = intake_days("claims"), intake_days("people")
    assert claims[-1] < claims[0] and people[-1] > people[0]
    # A few pilots are stuck past their 90-day time box.
    stuck = UseCase.objects.filter(
        state=State.PILOT, state_changed_at__lt=timezone.now() - timedelta(days=90)
    )
    assert stuck.count() >= 3
    # Templates are reused across departments.
    assert (
        UseCase.objects.filter(template__isnull=False)
        .exclude(template__department=F("department"))
        .exists()
    )
    # The jobs ran at the end of the load: the flags a portfolio like this should raise are up.
    open_flags = set(Flag.objects.filter(cleared_at=None).values_list("kind", flat=True))
    assert {
        FlagKind.PILOT_PURGATORY,
        FlagKind.DECISION_OVERDUE,
        FlagKind.CONDITION_OVERDUE,
        FlagKind.SLOWER_THAN_PREVIOUS,
    } <= open_flags
    assert VelocitySnapshot.objects.exists()
    # Submitted use cases carry their EU AI Act role, hence obligations, some overdue by now.
    from compliance.choices import OPEN_STATUSES
    from compliance.models import Obligation, RegulatoryProfile

    assert RegulatoryProfile.objects.count() >= 60
    assert Obligation.objects.filter(
        status__in=OPEN_STATUSES, due_date__lt=timezone.localdate()
    ).exists()
    # Demo users exist for every role and log in with the published password.
    users = get_user_model().objects
    for username, _ in DEMO_LOGINS:
        assert users.get(username=username).check_password(DEMO_PASSWORD)
    assert roles_of(users.get(username="exec")).is_executive
    assert roles_of(users.get(username="head-claims")).is_department_head
    assert roles_of(users.get(username="board-chair")).is_board_member

    before = (UseCase.objects.count(), TransitionRecord.objects.count(), Decision.objects.count())
    out = StringIO()
    call_command("load_demo", "--no-progress", stdout=out)
    assert "already" in out.getvalue()
    after = (UseCase.objects.count(), TransitionRecord.objects.count(), Decision.objects.count())
    assert after == before


@pytest.mark.django_db
def test_scale_option_bulk_inserts_synthetic_use_cases():
    call_command("load_demo", "--scale", "300", "--no-progress", stdout=StringIO())

    assert UseCase.objects.count() == 300
    assert (
        TransitionRecord.objects.filter(transition="submit").count()
        == UseCase.objects.exclude(state=State.DRAFT).count()
    )


@pytest.mark.django_db
def test_the_synthetic_portfolio_is_realistic_and_consistent():
    from gates.models import GateReview
    from governance.models import Board, Vote
    from portfolio.models import Membership, Metric, MetricReading
    from portfolio.models.velocity import Flag, FlagKind
    from portfolio.services.flags import flags_sweep
    from portfolio.services.velocity import velocity_recompute

    call_command("load_demo", "--scale", "400", "--no-progress", stdout=StringIO())

    submitted = UseCase.objects.exclude(state=State.DRAFT)
    assert Membership.objects.filter(role="head").count() == 25
    assert Board.objects.filter(name__startswith="Synthetic").count() == 5
    assert not submitted.filter(outcome_owner__isnull=True).exists()
    # Every forward move is authorised by a GO decision on a review of that use case.
    forward = TransitionRecord.objects.filter(transition__startswith="advance_to_")
    assert forward.exists()
    assert set(forward.values_list("use_case_id", "authorisation_id").distinct()) == set(
        Decision.objects.filter(verdict="go").values_list("review__use_case_id", "pk")
    )
    assert (
        Vote.objects.filter(review__decision__isnull=False).count() == 3 * Decision.objects.count()
    )
    assert GateReview.objects.filter(status="open").exists()
    assert TransitionRecord.objects.filter(transition="resume").exists()
    assert UseCase.objects.filter(state=State.ON_HOLD).exists()
    assert UseCase.objects.filter(state=State.KILLED).exists()
    assert Metric.objects.filter(kind="technical", paired_with__isnull=False).exists()
    assert MetricReading.objects.count() > submitted.count()
    # A plausible share stalls, not every use case.
    velocity_recompute()
    flags_sweep()
    stalled = Flag.objects.filter(kind=FlagKind.STALL_IN_PROGRESS, cleared_at=None).count()
    watched = submitted.exclude(state__in=[State.KILLED, State.RETIRED]).count()
    assert 0.05 * watched < stalled < 0.35 * watched
    # Healthy use cases read their metrics: only the stalled share goes stale.
    stale = Flag.objects.filter(kind=FlagKind.STALE_METRICS, cleared_at=None).count()
    assert 0.05 * watched < stale < 0.35 * watched
