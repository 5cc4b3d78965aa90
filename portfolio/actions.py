"""The portfolio's part of My actions: sign-offs to give, readings due on metrics one owns."""

from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone

from core.actions import Action
from portfolio.choices import ACTIVE_STATES, CADENCE_DAYS, TERMINAL_STATES, State
from portfolio.models import Metric, UseCase

KINDS = {"sign_off": "Sign-offs to give", "reading_due": "Readings due"}


def sign_offs_to_give(user) -> list[Action]:
    """Submitted use cases whose definition of success the person has yet to sign (1 query)."""
    rows = (
        UseCase.objects.filter(
            Q(sponsor=user, sponsor_signed_off_at__isnull=True)
            | Q(operator_lead=user, operator_signed_off_at__isnull=True)
        )
        .exclude(state__in=[State.DRAFT, *TERMINAL_STATES])
        .exclude(success_definition="")
        .values_list(
            "pk",
            "title",
            "sponsor_id",
            "sponsor_signed_off_at",
            "operator_lead_id",
            "operator_signed_off_at",
            "submitted_at",
        )
        .order_by("submitted_at", "pk")
    )
    actions = []
    for pk, title, sponsor, sponsor_signed, lead, lead_signed, submitted_at in rows:
        for party, person, signed in (
            ("sponsor", sponsor, sponsor_signed),
            ("operator lead", lead, lead_signed),
        ):
            if person == user.pk and signed is None:
                actions.append(
                    Action(
                        kind="sign_off",
                        title=f"Sign off '{title}' as {party}",
                        detail="The definition of success waits for your signature.",
                        path=f"/use-cases/{pk}/#sign-off",
                        due=submitted_at,
                    )
                )
    return actions


def readings_due(user, *, at=None) -> list[Action]:
    """Metrics of the use cases the person owns whose next reading is due: one cadence has
    passed since the last reading (since submission when never read; 1 query)."""
    at = at or timezone.now()
    metrics = (
        Metric.objects.active(at)
        .filter(use_case__outcome_owner=user, use_case__state__in=list(ACTIVE_STATES))
        .annotate(last_read=Max("readings__measured_at"))
        .values_list(
            "use_case_id",
            "use_case__title",
            "name",
            "cadence",
            "last_read",
            "use_case__submitted_at",
        )
        .order_by("use_case_id", "name")
    )
    actions = []
    for pk, title, name, cadence, last_read, submitted_at in metrics:
        since = last_read or submitted_at
        if since is None:
            continue
        due = since + timedelta(days=CADENCE_DAYS[cadence])
        if due <= at:
            actions.append(
                Action(
                    kind="reading_due",
                    title=f"Record {name} for '{title}'",
                    detail=f"{cadence.capitalize()} reading due since {due:%Y-%m-%d}.",
                    path=f"/use-cases/{pk}/#metrics",
                    due=due,
                )
            )
    return actions


def portfolio_actions(user, roles) -> list[Action]:
    return [*sign_offs_to_give(user), *readings_due(user)]
