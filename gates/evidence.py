"""Evidence sources that other issues deliver; read through one small function each."""

from datetime import datetime


def red_diagnostic_lines(*, use_case_id: int, at: datetime) -> int | None:
    """Number of red stall-diagnostic lines of the use case at ``at``.

    PLACEHOLDER SOURCE: the stall diagnostic (portfolio.diagnostic) is delivered by the
    velocity issue. Until then this returns None, which the engine reads as "no data", so a
    criterion on red lines makes a review INSUFFICIENT EVIDENCE rather than pass unseen. The
    velocity engineer replaces this one function; it must stay a fixed number of queries.
    """
    return None
