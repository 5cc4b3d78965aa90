"""Reads of the gates app: the evidence of a use case, the criteria that apply, reviews."""

from datetime import datetime

from django.db.models import Q, QuerySet

from gates import evidence as sources
from gates import registry
from gates.choices import GATE_FOR_STATE, ReviewStatus
from gates.evaluation import CriterionSpec
from gates.measurables import Evidence, MetricEvidence, Reading
from gates.models import CriteriaSet, Criterion, EvidenceSnapshot, GateReview
from portfolio.choices import ArtifactStatus, State
from portfolio.models import Artifact, DataGap, Metric, MetricReading, TransitionRecord, UseCase

USE_CASE_FIELDS = (
    "id",
    "department_id",
    "outcome_owner_id",
    "build_cost",
    "run_cost_yearly",
    "expected_benefit_yearly",
    "realised_benefit_yearly",
    "data_assumed",
    "data_existing",
    "risk_tier",
    "human_oversight",
    "scenarios",
    "warning_signs",
    "pilot_time_box_days",
    "playbook",
    "state",
)


def evidence_load(*, use_case_id: int, at: datetime) -> Evidence:
    """The evidence of one use case as it stood at ``at``, in a fixed number of queries
    (use case, metrics, readings, artifacts, gaps, pilot transitions, plus the diagnostic
    source), whatever the number of metrics and readings."""
    fields = UseCase.objects.filter(pk=use_case_id).values(*USE_CASE_FIELDS).get()
    readings: dict[int, list[Reading]] = {}
    for row in (
        MetricReading.objects.current()
        .filter(metric__use_case_id=use_case_id, measured_at__lte=at)
        .order_by("metric_id", "measured_at", "id")
        .values_list("metric_id", "id", "value", "measured_at")
    ):
        readings.setdefault(row[0], []).append(Reading(row[1], row[2], row[3]))
    metrics = tuple(
        MetricEvidence(
            id=m["id"],
            name=m["name"],
            kind=m["kind"],
            direction=m["direction"],
            baseline=m["baseline"],
            target=m["target"],
            paired_with_id=m["paired_with_id"],
            readings=tuple(readings.get(m["id"], ())),
        )
        # A metric retired by an approved re-baselining counts until it was retired.
        for m in Metric.objects.active(at)
        .filter(use_case_id=use_case_id)
        .order_by("kind", "id")
        .values("id", "name", "kind", "direction", "baseline", "target", "paired_with_id")
    )
    artifacts = dict(Artifact.objects.filter(use_case_id=use_case_id).values_list("kind", "status"))
    gaps = tuple(
        DataGap.objects.filter(use_case_id=use_case_id).values(
            "closing_work", "owner_committed", "blocks_production"
        )
    )
    entered = left = None
    for from_state, to_state, moment in (
        TransitionRecord.objects.filter(use_case_id=use_case_id, at__lte=at)
        .filter(Q(to_state=State.PILOT, from_state=State.SUBMITTED) | Q(from_state=State.PILOT))
        .order_by("at", "id")
        .values_list("from_state", "to_state", "at")
    ):
        if to_state == State.PILOT:
            entered, left = moment, None
        elif from_state == State.PILOT and to_state == State.SCALE:
            left = moment
    return Evidence(
        at=at,
        use_case=fields,
        metrics=metrics,
        artifacts={kind: ArtifactStatus(status) for kind, status in artifacts.items()},
        gaps=gaps,
        pilot_entered_at=entered,
        pilot_left_at=left,
        red_diagnostic_lines=sources.red_diagnostic_lines(use_case_id=use_case_id, at=at),
        extra=registry.extra_evidence_load(use_case_id=use_case_id, at=at),
    )


def criteria_set_current(*, gate: str, playbook: str) -> CriteriaSet | None:
    """The current version for the gate and playbook, else the one for every playbook."""
    candidates = CriteriaSet.objects.filter(gate=gate, is_current=True, playbook__in={playbook, ""})
    return max(candidates, key=lambda s: s.playbook == playbook, default=None)


def criterion_specs(*, criteria_set: CriteriaSet) -> list[CriterionSpec]:
    """The engine's view of a set's criteria (one query)."""
    return [spec_of(c) for c in Criterion.objects.filter(criteria_set=criteria_set)]


def spec_of(criterion: Criterion) -> CriterionSpec:
    return CriterionSpec(
        key=str(criterion.pk),
        label=criterion.label,
        measurable=criterion.measurable,
        comparator=criterion.comparator,
        threshold=criterion.threshold,
        threshold_high=criterion.threshold_high,
        must_meet=criterion.kind == "must",
        weight=criterion.weight,
        metric_name=criterion.metric_name,
        artifact_kind=criterion.artifact_kind,
    )


def snapshot_latest(*, review: GateReview) -> EvidenceSnapshot | None:
    return EvidenceSnapshot.objects.filter(review=review).order_by("-taken_at", "-id").first()


def review_list(*, queryset: QuerySet | None = None) -> QuerySet:
    """Reviews with their use case, department and requester loaded."""
    queryset = GateReview.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "use_case", "use_case__department", "requested_by", "criteria_set"
    )


def review_open_for(*, use_case_id: int) -> GateReview | None:
    return GateReview.objects.filter(use_case_id=use_case_id, status=ReviewStatus.OPEN).first()


def gate_to_request(*, use_case) -> str | None:
    """The gate a review requested now would judge the use case at, or None when its stage
    has none to pass (gates.services.gate_needed refuses the same with a 409)."""
    return GATE_FOR_STATE.get(use_case.state)
