"""The gate's sign-off criterion, registered with gates from ready(): "sign-offs the stage
needs given" (``sign_offs_given``) is 1 when everyone the use case's stage needs (its
sign-off steps; by default the sponsor and the operator lead) had signed the definition of
success at the moment judged, else 0; each signature is frozen in the snapshot's sources."""

from decimal import Decimal

from gates.measurables import NO_DATA, Measured
from portfolio.models import UseCase
from portfolio.selectors_sign_offs import sign_off_status

SIGN_OFF_KEY = "sign_offs_given"
SIGN_OFF_LABEL = "Sign-offs the stage needs given (1/0)"


def sign_offs_load(*, use_case_id: int, at) -> tuple[dict, ...]:
    """Each sign-off the stage needs, signed by whom and when, as it stood at ``at``
    (2 queries, 3 when a step names a role)."""
    use_case = (
        UseCase.objects.select_related("sponsor", "operator_lead").filter(pk=use_case_id).first()
    )
    if use_case is None:
        return ()
    rows = []
    for status in sign_off_status(use_case=use_case):
        signed = status["signed_at"] is not None and status["signed_at"] <= at
        person = status["person"]
        rows.append(
            {
                "party": str(status["party"]),
                "label": str(status["label"]),
                "signed": signed,
                "signed_by": (person.get_full_name() or person.username)
                if signed and person
                else None,
                "signed_at": status["signed_at"].isoformat() if signed else None,
            }
        )
    return tuple(rows)


def sign_offs_given(evidence, **_) -> Measured:
    rows = tuple(evidence.extra.get(SIGN_OFF_KEY, ()))
    if not rows:
        return NO_DATA
    return Measured(Decimal(1) if all(r["signed"] for r in rows) else Decimal(0), rows)
