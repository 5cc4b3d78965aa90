"""The gate measurable "open obligations due before go-live", registered with gates.

Counts the use case's open obligations whose catalogue entry must be met before the use
case goes live (by default the high-risk duties). The default G1 criterion requires none.
"""

from decimal import Decimal

from compliance.choices import OPEN_STATUSES
from compliance.models import Obligation
from gates.measurables import Measured

KEY = "open_obligations"
LABEL = "Open obligations due before go-live"
DEFAULT_G1 = {
    "label": "No open obligation due before go-live",
    "measurable": KEY,
    "comparator": "at_most",
    "threshold": Decimal("0"),
    "kind": "must",
    "weight": Decimal("1"),
}


def load(*, use_case_id: int, at) -> tuple[dict, ...]:
    """The open before-go-live obligations of one use case, as they stand (1 query)."""
    return tuple(
        {"obligation_id": pk, "article": article, "due_date": due.isoformat()}
        for pk, article, due in Obligation.objects.filter(
            use_case_id=use_case_id,
            status__in=OPEN_STATUSES,
            obligation_type__before_go_live=True,
        )
        .order_by("due_date", "id")
        .values_list("pk", "obligation_type__article", "due_date")
    )


def open_obligations(evidence, **_) -> Measured:
    rows = evidence.extra.get(KEY, ())
    return Measured(float(len(rows)), tuple(rows))
