"""The portfolio's part of My actions: sign-offs to give, readings due on metrics one owns."""

from datetime import timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from core.actions import Action
from portfolio.choices import ACTIVE_STATES, CADENCE_DAYS, TERMINAL_STATES, State
from portfolio.models import Metric, SignOff, UseCase
from portfolio.selectors_sign_offs import sign_off_steps, steps_of

KINDS = {"sign_off": "Sign-offs to give", "reading_due": "Readings due"}


def _in_stages(stages) -> Q:
    """Use cases in one of the stages, or held from one (they keep its steps)."""
    return Q(state__in=stages) | Q(state=State.ON_HOLD, state_before_hold__in=stages)


def _stages_needing(steps, party: str) -> list[str]:
    return [stage for stage, needed in steps.items() if any(s.party == party for s in needed)]


def sign_offs_to_give(user, roles=None) -> list[Action]:
    """Submitted use cases whose definition of success the person has yet to sign, as the
    sponsor, the operator lead or a holder of a role the stage needs (2 queries, and one per
    role of the organisation the person holds that a stage needs)."""
    steps = sign_off_steps()
    signable = (
        UseCase.objects.exclude(state__in=[State.DRAFT, *TERMINAL_STATES])
        .exclude(success_definition="")
        .order_by("submitted_at", "pk")
    )
    rows = signable.filter(
        Q(sponsor=user, sponsor_signed_off_at__isnull=True)
        & _in_stages(_stages_needing(steps, "sponsor"))
        | Q(operator_lead=user, operator_signed_off_at__isnull=True)
        & _in_stages(_stages_needing(steps, "operator"))
    ).values_list(
        "pk",
        "title",
        "sponsor_id",
        "sponsor_signed_off_at",
        "operator_lead_id",
        "operator_signed_off_at",
        "submitted_at",
        "state",
        "state_before_hold",
    )
    actions = []
    for pk, title, sponsor, sponsor_signed, lead, lead_signed, submitted_at, *state in rows:
        needed = {s.party for s in steps_of(*state, steps=steps)}
        for party, label, person, signed in (
            ("sponsor", "sponsor", sponsor, sponsor_signed),
            ("operator", "operator lead", lead, lead_signed),
        ):
            if person == user.pk and signed is None and party in needed:
                actions.append(_sign_off_action(pk, title, label, submitted_at))
    held = roles.organisation_roles if roles is not None else frozenset()
    for step in {s for needed in steps.values() for s in needed if s.role_id in held}:
        standing = SignOff.objects.filter(
            use_case=OuterRef("pk"), role_id=step.role_id, withdrawn_at__isnull=True
        )
        for pk, title, submitted_at in (
            signable.filter(_in_stages(_stages_needing(steps, step.party)))
            .exclude(Exists(standing))
            .values_list("pk", "title", "submitted_at")
        ):
            actions.append(_sign_off_action(pk, title, step.label, submitted_at))
    return actions


def _sign_off_action(pk, title, label, submitted_at) -> Action:
    return Action(
        kind="sign_off",
        title=f"Sign off '{title}' as {label}",
        detail="The definition of success waits for your signature.",
        path=f"/use-cases/{pk}/#sign-off",
        due=submitted_at,
    )


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
    return [*sign_offs_to_give(user, roles), *readings_due(user)]
