"""The demo portfolio's EU AI Act records: each submitted use case's role under the Act as of
its submission, so its obligations follow (some of them overdue by now)."""

from compliance.choices import GATING, OPEN_STATUSES
from compliance.models import Obligation, RegulatoryProfile
from compliance.services import obligation_update, regulatory_profile_record
from core.errors import ApplicationError
from portfolio.choices import RiskTier, State
from portfolio.models import UseCase


def demo_duties_meet(*, use_case: UseCase, actor, gate: str, at) -> int:
    """Before a GO at ``gate``, a high-risk use case does what the law asks first: its role is
    recorded (deployer, if nobody did) and its duties due before first use (G0) or go-live
    (G1, G2) are met, each with a link as evidence. Returns how many were met."""
    if use_case.risk_tier != RiskTier.HIGH:
        return 0
    if not RegulatoryProfile.objects.filter(use_case=use_case).exists():
        regulatory_profile_record(use_case=use_case, actor=actor, act_role="deployer", at=at)
    due = Obligation.objects.filter(
        use_case=use_case, status__in=OPEN_STATUSES, obligation_type__due_when__in=GATING[gate]
    ).select_related("obligation_type")
    met = 0
    for obligation in due:
        obligation_update(
            obligation=obligation,
            actor=actor,
            at=at,
            status="met",
            evidence_link=f"https://intranet.example.com/ai-act/{obligation.obligation_type.code}",
        )
        met += 1
    return met


def demo_regulation_record(*, actor) -> int:
    """Record the role of every submitted, live or retired use case (every third is also the
    provider); a prohibited practice is refused at intake and keeps no profile. Returns how
    many were recorded."""
    recorded = 0
    live = UseCase.objects.exclude(state__in=[State.DRAFT, State.KILLED]).order_by("pk")
    for n, use_case in enumerate(live.exclude(risk_tier="unacceptable")):
        if RegulatoryProfile.objects.filter(use_case=use_case).exists():
            continue  # recorded before its gates (demo_duties_meet)
        try:
            regulatory_profile_record(
                use_case=use_case,
                actor=actor,
                act_role="both" if n % 3 == 0 else "deployer",
                at=use_case.submitted_at,
            )
        except ApplicationError:
            continue
        recorded += 1
    return recorded
