"""Evidence sources delivered by the portfolio app, read through one small function each."""

from datetime import datetime

from portfolio.selectors_diagnostic import use_case_diagnostic


def red_diagnostic_lines(*, use_case_id: int, at: datetime) -> int | None:
    """Number of red stall-diagnostic lines of the use case at ``at`` (portfolio.diagnostic).

    A fixed number of queries (five) whatever the number of metrics and readings; None when
    the use case does not exist, which the engine reads as "no data".
    """
    diagnostic = use_case_diagnostic(use_case_id=use_case_id, at=at)
    return None if diagnostic is None else diagnostic.red_lines
