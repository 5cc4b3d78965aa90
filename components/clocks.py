"""The clocks an incident starts (pure: data in, result out).

Regulation (EU) 2024/1689 (the AI Act), counted from the moment the organisation became
aware of a serious incident:

- Art. 73(2): the report to the market surveillance authority, not later than 15 days;
- Art. 73(4): where a person's death may be involved, not later than 10 days;
- Art. 73(3): a widespread infringement or a serious incident under Art. 3(49)(b) (serious
  and irreversible disruption of critical infrastructure), immediately and not later than
  2 days;
- Art. 26(5): a deployer that has identified a serious incident informs the provider first,
  immediately: due at the moment of awareness.

The shortest applicable period binds; a clock stops when the report is recorded.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

REPORT_DAYS = 15  # Art. 73(2)
DEATH_DAYS = 10  # Art. 73(4)
WIDESPREAD_DAYS = 2  # Art. 73(3)


@dataclass(frozen=True)
class Clock:
    """One duty an incident started: what, under which article, by when, and where it stands."""

    duty: str
    article: str
    due_at: datetime
    done_at: datetime | None

    def overdue(self, at: datetime) -> bool:
        return self.done_at is None and at > self.due_at

    def status(self, at: datetime) -> str:
        if self.done_at is not None:
            return "done late" if self.done_at > self.due_at else "done"
        return "overdue" if self.overdue(at) else "due"

    def remaining(self, at: datetime) -> timedelta:
        return self.due_at - at


def report_period(*, death: bool, widespread: bool) -> tuple[int, str]:
    """Days allowed for the report to the authority, and the paragraph that sets them."""
    if widespread:
        return WIDESPREAD_DAYS, "Art. 73(3)"
    if death:
        return DEATH_DAYS, "Art. 73(4)"
    return REPORT_DAYS, "Art. 73(2)"


def incident_clocks(
    *,
    serious: bool,
    death: bool,
    widespread: bool,
    deployer: bool,
    aware_at: datetime,
    authority_reported_at: datetime | None = None,
    provider_informed_at: datetime | None = None,
) -> list[Clock]:
    """The clocks of one incident; none unless it is serious."""
    if not serious:
        return []
    days, article = report_period(death=death, widespread=widespread)
    clocks = [
        Clock(
            duty="Report to the market surveillance authority",
            article=article,
            due_at=aware_at + timedelta(days=days),
            done_at=authority_reported_at,
        )
    ]
    if deployer:
        clocks.insert(
            0,
            Clock(
                duty="Inform the provider",
                article="Art. 26(5)",
                due_at=aware_at,
                done_at=provider_informed_at,
            ),
        )
    return clocks


def clocks_of(incident) -> list[Clock]:
    """The clocks of an Incident row (or anything with its fields)."""
    return incident_clocks(
        serious=incident.serious,
        death=incident.death,
        widespread=incident.widespread,
        deployer=incident.organisation_role == "deployer",
        aware_at=incident.aware_at,
        authority_reported_at=incident.authority_reported_at,
        provider_informed_at=incident.provider_informed_at,
    )
