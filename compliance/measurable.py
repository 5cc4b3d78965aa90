"""What the gates read of the law: two measurables and the legal must-meets.

- "open_obligations_first_use" (G0): the open obligations due before first use (a pilot is
  use: the Art. 27 assessment, informing workers' representatives under Art. 26(7), ...).
- "open_obligations" (G1): the open obligations due before first use or before go-live.

Both give no value ("insufficient evidence", never a pass) for a high-risk use case whose
role under the Act is not recorded: without it nobody can tell which duties apply.

``legal_stops`` is registered with gates as a legal check: a GO or CONDITIONAL GO against
any of these duties, against a missing role or for an Art. 5 prohibited practice is refused
whatever the votes and the recommendation (governance asks it at closing).
"""

from decimal import Decimal

from compliance.choices import GATING, OPEN_STATUSES, DueWhen
from compliance.models import Obligation
from gates.measurables import NO_DATA, Measured
from portfolio.choices import RiskTier
from portfolio.models import UseCase

KEY = "open_obligations"
LABEL = "Open obligations due before go-live"
KEY_G0 = "open_first_use_duties"
LABEL_G0 = "Open obligations due before first use"
DEFAULT_G1 = {
    "label": "No open obligation due before go-live",
    "measurable": KEY,
    "comparator": "at_most",
    "threshold": Decimal("0"),
    "kind": "must",
    "weight": Decimal("1"),
}
DEFAULT_G0 = {
    "label": "No open obligation due before first use",
    "measurable": KEY_G0,
    "comparator": "at_most",
    "threshold": Decimal("0"),
    "kind": "must",
    "weight": Decimal("1"),
}
ROLE_MISSING = {
    "code": "role_not_recorded",
    "article": "Art. 16 / Art. 26",
    "title": "Role under the Act not recorded for a high-risk use case (insufficient evidence)",
}
PROHIBITED = {
    "code": "prohibited_practice",
    "article": "Art. 5",
    "title": "Prohibited AI practice",
}


def _open_duties(use_case_id: int, due: tuple[str, ...]) -> list[dict]:
    return [
        {
            "code": "obligation_open",
            "obligation_id": pk,
            "article": article,
            "title": title,
            "due_date": due_date.isoformat(),
            "due_when": due_when,
        }
        for pk, article, title, due_date, due_when in Obligation.objects.filter(
            use_case_id=use_case_id,
            status__in=OPEN_STATUSES,
            obligation_type__due_when__in=due,
        )
        .order_by("due_date", "id")
        .values_list(
            "pk",
            "obligation_type__article",
            "obligation_type__title",
            "due_date",
            "obligation_type__due_when",
        )
    ]


def _role_missing(use_case_id: int) -> bool:
    """A high-risk use case without a recorded role (1 query)."""
    return UseCase.objects.filter(
        pk=use_case_id,
        risk_tier=RiskTier.HIGH,
        regulatory_profile__isnull=True,
    ).exists()


def _loader(due: tuple[str, ...]):
    def load(*, use_case_id: int, at) -> dict:
        """The open obligations of one use case that gate, as they stand (2 queries)."""
        return {
            "role_missing": _role_missing(use_case_id),
            "rows": _open_duties(use_case_id, due),
        }

    return load


load = _loader(GATING["G1"])
load_first_use = _loader(GATING["G0"])


def _measure(key):
    def measure(evidence, **_) -> Measured:
        found = evidence.extra.get(key, ())
        if isinstance(found, dict):
            if found.get("role_missing"):
                return NO_DATA
            found = found.get("rows", ())
        # Snapshots frozen before catalogue version 2 hold the rows alone.
        return Measured(Decimal(len(found)), tuple(found))

    return measure


open_obligations = _measure(KEY)
open_obligations_first_use = _measure(KEY_G0)


def legal_stops(*, use_case_id: int, gate: str) -> list[dict]:
    """The legal must-meets that stand in the way of a GO at ``gate`` now."""
    prohibited = UseCase.objects.filter(pk=use_case_id, risk_prohibited_practice=True).exists()
    if prohibited:
        return [PROHIBITED]
    stops = [ROLE_MISSING] if _role_missing(use_case_id) else []
    return stops + _open_duties(use_case_id, GATING.get(gate, (DueWhen.BEFORE_FIRST_USE,)))
