"""The demo portfolio's EU AI Act records: each submitted use case's role under the Act as of
its submission, so its obligations follow (some of them overdue by now)."""

from compliance.services import regulatory_profile_record
from core.errors import ApplicationError
from portfolio.choices import State
from portfolio.models import UseCase


def demo_regulation_record(*, actor) -> int:
    """Record the role of every submitted, live or retired use case (every third is also the
    provider); a prohibited practice is refused at intake and keeps no profile. Returns how
    many were recorded."""
    recorded = 0
    live = UseCase.objects.exclude(state__in=[State.DRAFT, State.KILLED]).order_by("pk")
    for n, use_case in enumerate(live.exclude(risk_tier="unacceptable")):
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
