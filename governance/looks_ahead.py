"""Cost of delay and the decision objective with its error budget, with no I/O (PRODUCT.md,
"The flywheel looks ahead").

Cost of delay (money, exact decimals; days with a fraction):

- value per day = expected annual benefit / 365 (no benefit estimate: no figure)
- waiting cost = value per day x days since the review was requested
- overdue cost = value per day x days past the board's decision target T
- purgatory cost = value per day x days past the pilot's time box (no review open)

Decision objective of a board, target T hours and objective O over a rolling window:

- events in the window: reviews decided in it, plus reviews still open past T
- misses: decisions that took longer than T, plus the reviews still open past T
- error budget = (1 - O) x events; remaining = budget - misses
- 7-day burn rate = (misses / events over the last 7 days) / (1 - O) (0 without events)
- "objective at risk": burn rate >= 2; "objective missed": the budget is spent (at least one
  miss and nothing remaining)
- escalation: a review open for 2 x T or longer goes to the board's named fallback
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

DAYS_PER_YEAR = Decimal(365)
SECONDS_PER_DAY = Decimal(86400)
AT_RISK_BURN_RATE = Decimal(2)
BURN_WINDOW_DAYS = 7
ESCALATION_FACTOR = 2


def value_per_day(expected_benefit_yearly: Decimal | None) -> Decimal | None:
    """Expected annual benefit / 365; None without a benefit estimate."""
    if expected_benefit_yearly is None:
        return None
    return Decimal(expected_benefit_yearly) / DAYS_PER_YEAR


def days_between(start: datetime, end: datetime) -> Decimal:
    """Calendar days with a fraction, exact to the second."""
    return Decimal(int((end - start).total_seconds())) / SECONDS_PER_DAY


def cost(value: Decimal | None, days: Decimal) -> Decimal | None:
    """value per day x days (none below zero days); None without a value per day."""
    if value is None:
        return None
    return value * max(Decimal(0), days)


@dataclass(frozen=True)
class ReviewDelay:
    """What one open review's wait costs."""

    value_per_day: Decimal | None
    days_waiting: Decimal
    days_overdue: Decimal
    waiting_cost: Decimal | None
    overdue_cost: Decimal | None


def review_delay(
    *, benefit: Decimal | None, requested_at: datetime, target_hours: int, at: datetime
) -> ReviewDelay:
    value = value_per_day(benefit)
    waiting = days_between(requested_at, at)
    overdue = max(Decimal(0), waiting - Decimal(target_hours) / 24)
    return ReviewDelay(value, waiting, overdue, cost(value, waiting), cost(value, overdue))


@dataclass(frozen=True)
class Objective:
    """A board's decision objective over its window at one moment."""

    target_hours: int
    objective: Decimal
    window_days: int
    events: int
    good: int
    misses: int
    budget: Decimal
    remaining: Decimal
    burn_events: int
    burn_misses: int
    burn_rate: Decimal

    @property
    def at_risk(self) -> bool:
        return self.burn_rate >= AT_RISK_BURN_RATE

    @property
    def missed(self) -> bool:
        return self.misses > 0 and self.remaining <= 0


@dataclass(frozen=True)
class ReviewTimes:
    requested_at: datetime
    decided_at: datetime | None


def _count(reviews: Iterable[ReviewTimes], *, since: datetime, at: datetime, target: timedelta):
    events = misses = 0
    for review in reviews:
        if review.decided_at is not None and review.decided_at <= at:
            if review.decided_at < since:
                continue
            events += 1
            misses += review.decided_at - review.requested_at > target
        elif review.requested_at <= at and at - review.requested_at > target:
            # Open (at this moment) past T: a miss from the moment it passes T.
            events += 1
            misses += 1
    return events, misses


def objective_figures(
    reviews: Iterable[ReviewTimes],
    *,
    target_hours: int,
    objective: Decimal,
    window_days: int,
    at: datetime,
) -> Objective:
    """The rolling figures of one board at ``at`` from its reviews' request and decision
    moments (decided after ``at`` counts as still open at ``at``)."""
    reviews = list(reviews)
    target = timedelta(hours=target_hours)
    events, misses = _count(reviews, since=at - timedelta(days=window_days), at=at, target=target)
    burn_events, burn_misses = _count(
        reviews, since=at - timedelta(days=BURN_WINDOW_DAYS), at=at, target=target
    )
    return objective_from_counts(
        target_hours=target_hours,
        objective=objective,
        window_days=window_days,
        events=events,
        misses=misses,
        burn_events=burn_events,
        burn_misses=burn_misses,
    )


def objective_from_counts(
    *,
    target_hours: int,
    objective: Decimal,
    window_days: int,
    events: int,
    misses: int,
    burn_events: int,
    burn_misses: int,
) -> Objective:
    """The budget, remaining and burn rate from the counts (exact decimals)."""
    allowed = Decimal(1) - Decimal(objective)
    budget = allowed * events
    burn = Decimal(0)
    if burn_events:
        burn = Decimal(burn_misses) / Decimal(burn_events) / allowed
    return Objective(
        target_hours=target_hours,
        objective=Decimal(objective),
        window_days=window_days,
        events=events,
        good=events - misses,
        misses=misses,
        budget=budget,
        remaining=budget - misses,
        burn_events=burn_events,
        burn_misses=burn_misses,
        burn_rate=burn,
    )


def escalated(*, requested_at: datetime, target_hours: int, at: datetime) -> bool:
    """Open for 2 x T or longer: asked of the board's fallback."""
    return at - requested_at >= timedelta(hours=ESCALATION_FACTOR * target_hours)
