"""Every write of the gates app: criteria versions, opening and evaluating reviews.

Reviews are requested through the board's review request (the layer above), which adds
the board's side (conflict recusals, notifications) around review_open.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConcurrentChange, ConflictError
from gates import measurables, registry, selectors
from gates.choices import GATE_FOR_STATE, PASSED_GATE_FOR_STATE, Purpose, ReviewStatus
from gates.defaults import DEFAULTS
from gates.evaluation import evaluate
from gates.models import (
    CRITERION_FIELDS,
    CriteriaSet,
    Criterion,
    EvidenceSnapshot,
    GateReview,
)
from portfolio.models import UseCase
from portfolio.tasks import use_case_flags_refresh_on_commit


def criteria_check(*, criteria: Iterable[Mapping]) -> None:
    """Raise the ValidationError criteria_set_create would raise for these criteria (for a
    form that shows it before anything is written)."""
    _criteria_rows(CriteriaSet(), criteria)


def _criteria_rows(criteria_set: CriteriaSet, criteria: Iterable[Mapping]) -> list[Criterion]:
    rows = []
    for position, spec in enumerate(criteria):
        unknown = set(spec) - set(CRITERION_FIELDS)
        if unknown:
            raise ValidationError({name: [_("Not a criterion field.")] for name in sorted(unknown)})
        row = Criterion(criteria_set=criteria_set, position=position, **spec)
        row.full_clean(exclude=["criteria_set"])
        if row.comparator == "between" and (
            row.threshold_high is None or Decimal(row.threshold_high) < Decimal(row.threshold)
        ):
            raise ValidationError({"threshold_high": [_("'Between' needs an upper bound.")]})
        rows.append(row)
    return rows


@transaction.atomic
def criteria_set_create(
    *,
    gate: str,
    playbook: str = "",
    criteria: Iterable[Mapping],
    pass_mark: Decimal = Decimal("70"),
    name: str = "",
    notes: str = "",
    actor=None,
) -> CriteriaSet:
    """Add a new current version of the criteria for a gate (and playbook).

    The previous current version stays, unchanged, for the reviews judged by it.
    """
    previous = (
        CriteriaSet.objects.select_for_update()
        .filter(gate=gate, playbook=playbook, is_current=True)
        .first()
    )
    version = (
        CriteriaSet.objects.filter(gate=gate, playbook=playbook).aggregate(v=Max("version"))["v"]
        or 0
    ) + 1
    if previous is not None:
        CriteriaSet.objects.filter(pk=previous.pk).update(is_current=False)
    criteria_set = CriteriaSet(
        gate=gate,
        playbook=playbook,
        version=version,
        pass_mark=pass_mark,
        name=name,
        notes=notes,
        supersedes=previous,
        created_by=actor,
    )
    criteria_set.full_clean(validate_constraints=False)
    criteria_set.save()
    Criterion.objects.bulk_create(_criteria_rows(criteria_set, criteria))
    return criteria_set


@transaction.atomic
def criteria_set_revise(
    *,
    criteria_set: CriteriaSet,
    actor=None,
    criteria: Iterable[Mapping] | None = None,
    pass_mark: Decimal | None = None,
    notes: str = "",
    name: str | None = None,
) -> CriteriaSet:
    """Edit a criteria set by creating its next version; reviews keep the old one.

    Without ``criteria`` the new version copies the old criteria (e.g. to change the pass mark).
    """
    if criteria is None:
        criteria = [
            {name: getattr(c, name) for name in CRITERION_FIELDS}
            for c in criteria_set.criteria.all()
        ]
    return criteria_set_create(
        gate=criteria_set.gate,
        playbook=criteria_set.playbook,
        criteria=criteria,
        pass_mark=criteria_set.pass_mark if pass_mark is None else pass_mark,
        name=criteria_set.name if name is None else name,
        notes=notes,
        actor=actor,
    )


def gate_needed(*, use_case: UseCase, purpose: str) -> str:
    """The gate a review of this purpose judges the use case at, or a 409 saying why not."""
    table = GATE_FOR_STATE if purpose == Purpose.ADVANCE else PASSED_GATE_FOR_STATE
    gate = table.get(use_case.state)
    if gate is None:
        raise ConflictError(
            (
                _("A use case in %(state)s has no gate to pass.")
                if purpose == Purpose.ADVANCE
                else _("A use case in %(state)s has no gate to re-review.")
            )
            % {"state": use_case.state},
            code="no_gate",
            extra={"state": use_case.state},
        )
    return gate


@transaction.atomic
def review_open(
    *,
    use_case: UseCase,
    actor=None,
    purpose: str = Purpose.ADVANCE,
    gate: str | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> GateReview:
    """Open a review for the gate the use case's stage needs and freeze the first evidence.

    At most one review per use case is open (a partial unique index; the loser of a race
    gets a 409). No permission check here: the board's review request does it.
    """
    at = at or timezone.now()
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if purpose not in Purpose.values:
        raise ValidationError(
            {"purpose": [_("Choose one of %(values)s.") % {"values": ", ".join(Purpose.values)}]}
        )
    # The stage decides whether a review of this purpose is possible at all; a re-review may
    # name the gate to judge again (e.g. the gate of an overdue conditional go).
    needed = gate_needed(use_case=use_case, purpose=purpose)
    gate = gate or needed
    if purpose == Purpose.ADVANCE and gate != needed:
        raise ConflictError(
            _("A use case in %(state)s cannot advance through %(gate)s.")
            % {"state": use_case.state, "gate": gate}
        )
    if selectors.review_open_for(use_case_id=use_case.pk) is not None:
        raise ConflictError(
            _("This use case already has an open review."), code="review_already_open"
        )
    criteria_set = selectors.criteria_set_current(gate=gate, playbook=use_case.playbook)
    if criteria_set is None:
        raise ConflictError(
            _("No criteria are defined for %(gate)s.") % {"gate": gate}, code="no_criteria"
        )
    review = GateReview(
        use_case=use_case,
        gate=gate,
        purpose=purpose,
        criteria_set=criteria_set,
        requested_by=actor if getattr(actor, "pk", None) else None,
        reason=reason,
        requested_at=at,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:
        raise ConflictError(
            _("This use case already has an open review."), code="review_already_open"
        ) from exc
    _snapshot(review=review, actor=actor, at=at)
    use_case_flags_refresh_on_commit(use_case_id=use_case.pk)
    return review


def _snapshot(*, review: GateReview, actor, at: datetime) -> EvidenceSnapshot:
    """Evaluate the review's criteria version against the evidence at ``at`` and freeze it."""
    criteria_set = review.criteria_set
    specs = selectors.criterion_specs(criteria_set=criteria_set)
    evidence = selectors.evidence_load(use_case_id=review.use_case_id, at=at)
    measured = {
        spec.key: measurables.measure(
            spec.measurable,
            evidence,
            metric_name=spec.metric_name,
            artifact_kind=spec.artifact_kind,
        )
        for spec in specs
    }
    scorecard = evaluate(
        specs,
        {key: m.value for key, m in measured.items()},
        pass_mark=criteria_set.pass_mark,
        sources={key: m.sources for key, m in measured.items()},
    )
    return EvidenceSnapshot.objects.create(
        review=review,
        criteria_set=criteria_set,
        taken_at=at,
        taken_by=actor if getattr(actor, "pk", None) else None,
        recommendation=scorecard.recommendation,
        score=scorecard.score,
        pass_mark=criteria_set.pass_mark,
        rows=scorecard.as_rows(),
    )


@transaction.atomic
def review_evaluate(
    *, review: GateReview, actor=None, at: datetime | None = None
) -> EvidenceSnapshot:
    """Re-evaluate an open review against the latest evidence; every snapshot is kept.

    The review keeps the criteria version it was opened with.
    """
    if actor is not None and not rules.has_perm("gates.evaluate_review", actor, review):
        raise PermissionDenied(_("You may not re-evaluate this review."))
    review = GateReview.objects.select_related("criteria_set").get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise ConflictError(
            _("The review is decided; its evidence is final."), code="review_decided"
        )
    return _snapshot(review=review, actor=actor, at=at or timezone.now())


@transaction.atomic
def review_mark_decided(*, review: GateReview, at: datetime) -> GateReview:
    """Close an open review (called by the board's decision service when it records the decision).

    Optimistic: the update matches only while the review is still open, so a second closer
    changes nothing and gets a 409.
    """
    changed = GateReview.objects.filter(pk=review.pk, status=ReviewStatus.OPEN).update(
        status=ReviewStatus.DECIDED, decided_at=at
    )
    if not changed:
        raise ConcurrentChange(_("The review was decided by someone else; reload it."))
    review.status, review.decided_at = ReviewStatus.DECIDED, at
    use_case_flags_refresh_on_commit(use_case_id=review.use_case_id)
    return review


@transaction.atomic
def criteria_defaults_load() -> list[CriteriaSet]:
    """Create the shipped default criteria sets that do not exist yet (idempotent)."""
    created = []
    for gate, playbook, name, criteria in DEFAULTS:
        if not CriteriaSet.objects.filter(gate=gate, playbook=playbook).exists():
            created.append(
                criteria_set_create(
                    gate=gate,
                    playbook=playbook,
                    criteria=[*criteria, *registry.default_criteria_for(gate)],
                    name=name,
                    notes="Shipped default.",
                )
            )
    return created
