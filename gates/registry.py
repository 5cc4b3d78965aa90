"""Measurables and default criteria contributed by apps above gates.

An app higher up (compliance) registers a measurable here from its ``AppConfig.ready``:
a key, a label, a loader that reads its evidence for one use case, and the pure function
that turns that evidence into a value. Gates never imports the contributing app; it only
calls what was registered. Default criteria registered here are added to the shipped
defaults (gates.services.criteria_defaults_load).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from gates.choices import Measurable


@dataclass(frozen=True)
class RegisteredMeasurable:
    key: str
    label: str
    # (use_case_id, at) -> whatever ``function`` reads from ``evidence.extra[key]``.
    load: Callable[..., object]
    # (evidence, **params) -> gates.measurables.Measured
    function: Callable[..., object]


_MEASURABLES: dict[str, RegisteredMeasurable] = {}
_DEFAULT_CRITERIA: dict[str, list[Mapping]] = {}


def measurable_register(
    *, key: str, label: str, load: Callable[..., object], function: Callable[..., object]
) -> None:
    """Add a measurable to the catalogue (idempotent for the same key)."""
    if key in Measurable.values:
        raise ValueError(f"{key} is a built-in measurable")
    _MEASURABLES[key] = RegisteredMeasurable(key=key, label=label, load=load, function=function)


def registered_measurables() -> Mapping[str, RegisteredMeasurable]:
    return dict(_MEASURABLES)


def measurable_choices() -> list[tuple[str, str]]:
    """The built-in measurables and the registered ones (the criterion field's choices)."""
    return [*Measurable.choices, *((m.key, m.label) for m in _MEASURABLES.values())]


def extra_evidence_load(*, use_case_id: int, at: datetime) -> dict[str, object]:
    """What each registered measurable reads, for one use case (one loader each)."""
    return {key: m.load(use_case_id=use_case_id, at=at) for key, m in _MEASURABLES.items()}


def default_criterion_register(*, gate: str, criterion: Mapping) -> None:
    """Add a criterion (a dict of Criterion fields) to every shipped default set of ``gate``."""
    existing = _DEFAULT_CRITERIA.setdefault(gate, [])
    if all(c["label"] != criterion["label"] for c in existing):
        existing.append(dict(criterion))


def default_criteria_for(gate: str) -> list[Mapping]:
    return list(_DEFAULT_CRITERIA.get(gate, ()))


# Legal must-meets: checks registered by higher apps (compliance) that no decision can
# override. Each is called with (use_case_id, gate) and returns the duties that stand in the
# way of a GO or CONDITIONAL GO at that gate: dicts with at least "code", "article", "title".
_LEGAL_CHECKS: list[Callable[..., list[Mapping]]] = []


def legal_check_register(check: Callable[..., list[Mapping]]) -> None:
    """Add a legal must-meet check (idempotent for the same function)."""
    if check not in _LEGAL_CHECKS:
        _LEGAL_CHECKS.append(check)


def legal_stops(*, use_case_id: int, gate: str) -> list[Mapping]:
    """Every duty that forbids moving the use case forward at ``gate`` now."""
    return [stop for check in _LEGAL_CHECKS for stop in check(use_case_id=use_case_id, gate=gate)]


# A re-review requested by an app beside governance (a serious incident): governance
# registers the function that opens it; the caller names neither governance nor its services.
_RE_REVIEW_REQUESTERS: list[Callable[..., object]] = []


def re_review_requester_register(requester: Callable[..., object]) -> None:
    """Register ``requester(use_case=, reason=, at=)`` (governance, from its ready())."""
    if requester not in _RE_REVIEW_REQUESTERS:
        _RE_REVIEW_REQUESTERS.append(requester)


def re_review_request(*, use_case, reason: str, at: datetime) -> list[object]:
    """Ask every registered requester to put the use case up for re-review."""
    return [
        requester(use_case=use_case, reason=reason, at=at) for requester in _RE_REVIEW_REQUESTERS
    ]
