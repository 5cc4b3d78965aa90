"""Domain errors. The API's single exception handler turns them into one error format."""

from collections.abc import Iterable

from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A request the domain refuses, with a stable code and a human message."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    """What the request names does not exist, said in words (404): the API answers it in the
    error format with its message, where a bare Http404 says only "Not found."."""

    status_code = 404
    default_code = "not_found"


class ConflictError(ApplicationError):
    """The resource is not in a state that allows the request (409)."""

    status_code = 409
    default_code = "conflict"


class IllegalTransition(ConflictError):
    """A transition that the current state does not allow; names the ones that it does."""

    default_code = "illegal_transition"

    def __init__(self, *, transition: str, state: str, allowed: Iterable[str]):
        allowed = sorted(allowed)
        listed = ", ".join(allowed) if allowed else _("none")
        super().__init__(
            _(
                "'%(transition)s' is not allowed while the use case is %(state)s; "
                "allowed now: %(allowed)s."
            )
            % {"transition": transition, "state": state, "allowed": listed},
            extra={"state": state, "allowed_transitions": allowed},
        )


class ConcurrentChange(ConflictError):
    """Somebody else changed the same record first."""

    default_code = "concurrent_change"

    def __init__(self, message: str = ""):
        super().__init__(message or _("The record was changed by someone else; reload it."))


class UnauthorisedForwardMove(ConflictError):
    """A forward move attempted without the gate decision that authorises it."""

    default_code = "gate_decision_required"

    def __init__(self, *, state: str):
        super().__init__(
            _(
                "A use case in %(state)s moves forward only through a gate decision GO or "
                "CONDITIONAL GO of its review."
            )
            % {"state": state}
        )


class UnauthorisedStop(ConflictError):
    """A hold or kill handed an authorisation that does not authorise it."""

    default_code = "authorisation_invalid"


class ProhibitedPractice(ConflictError):
    """An EU AI Act Art. 5 prohibited practice: never submitted, never moved forward."""

    default_code = "prohibited_practice"

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or _(
                "An AI practice prohibited by Art. 5 of Regulation (EU) 2024/1689 (the AI Act) "
                "cannot be submitted or moved forward by any gate, override or import; it can "
                "only be stopped (kill or hold)."
            )
        )


class ConstraintViolated(ConflictError):
    """A write the database refused for a rule of its own (a check or unique constraint)."""

    default_code = "constraint_violated"


def constraint_of(exc: Exception) -> str:
    """The name of the constraint an IntegrityError names (PostgreSQL reports it; SQLite says
    it in the message), or the database's message when none is named."""
    cause = exc.__cause__ or exc
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return name
    text = str(cause)
    for marker in ("CHECK constraint failed: ", "UNIQUE constraint failed: "):
        if marker in text:
            return text.split(marker, 1)[1].strip()
    return text.strip()
