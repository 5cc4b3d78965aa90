"""Money figures computed from the intake, never stored twice (pure).

The figures are exact Decimals: a gate compares them with its thresholds as they are, and
only a page rounds them for display (see portfolio.display).
"""

from decimal import Decimal

MONTHS = Decimal(12)


def roi(*, benefit_yearly, build_cost, run_cost_yearly) -> Decimal | None:
    """First-year return multiple: yearly benefit over (build cost + one year's run cost).

    1.0 means the first year's benefit pays back the first year's total cost. None when a
    figure is missing or the cost is zero (no meaningful ratio).
    """
    if benefit_yearly is None or build_cost is None or run_cost_yearly is None:
        return None
    cost = Decimal(build_cost) + Decimal(run_cost_yearly)
    if cost <= 0:
        return None
    return Decimal(benefit_yearly) / cost


def payback_months(*, benefit_yearly, build_cost, run_cost_yearly) -> Decimal | None:
    """Months until the net yearly benefit repays the build cost; None if it never does."""
    if benefit_yearly is None or build_cost is None or run_cost_yearly is None:
        return None
    net_yearly = Decimal(benefit_yearly) - Decimal(run_cost_yearly)
    if net_yearly <= 0:
        return None
    # One division (build cost x 12 over the net yearly benefit), so no rounding compounds.
    return Decimal(build_cost) * MONTHS / net_yearly
