"""Everything the executives' use case page shows, loaded in a fixed number of queries."""

import itertools
from dataclasses import dataclass

from django.db.models import Prefetch

from gates.models import EvidenceSnapshot, GateReview
from governance.models import Decision, Recusal, Vote
from portfolio import diagnostic
from portfolio.choices import CADENCE_DAYS, ArtifactKind, MetricKind, Playbook, RiskTier
from portfolio.models import Metric, MetricReading, UseCase
from portfolio.models.velocity import Flag
from portfolio.selectors import transition_history
from portfolio.selectors_sign_offs import use_case_parties_signed
from portfolio.selectors_velocity import use_case_durations


@dataclass
class UseCasePage:
    use_case: UseCase
    transitions: list
    reviews: list
    metrics: list
    flags: list
    durations: dict
    diagnostic: diagnostic.Diagnostic


def label(use_case: UseCase) -> UseCase:
    """Give the generated playbook and risk tier their readable labels (a GeneratedField
    has no ``get_<field>_display``)."""
    use_case.playbook_label = Playbook(use_case.playbook).label if use_case.playbook else ""
    use_case.risk_label = RiskTier(use_case.risk_tier).label if use_case.risk_tier else ""
    return use_case


def _days_between(readings) -> list[float]:
    times = [r.measured_at for r in readings]
    return [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(times)]


def diagnostic_of(use_case: UseCase, metrics: list[Metric]) -> diagnostic.Diagnostic:
    """The six-line stall diagnostic from rows already loaded (no query)."""
    memo = next((a for a in use_case.artifacts.all() if a.kind == ArtifactKind.SCALE_MEMO), None)
    business = [m for m in metrics if m.kind == MetricKind.BUSINESS]
    return diagnostic.diagnose(
        diagnostic.DiagnosticInput(
            state=use_case.state,
            owner_named=use_case.outcome_owner_id is not None,
            owner_controls=use_case.owner_controls_resources,
            data_assumed=use_case.data_assumed,
            data_existing=use_case.data_existing,
            gaps=[
                diagnostic.Gap(
                    closing_work=gap.closing_work,
                    work_owner=gap.work_owner,
                    owner_committed=gap.owner_committed,
                    blocks_production=gap.blocks_production,
                )
                for gap in use_case.data_gaps.all()
            ],
            business_metrics=[
                diagnostic.BusinessMetric(
                    name=m.name,
                    reading_gaps_days=_days_between(m.readings_so_far),
                    readings=len(m.readings_so_far),
                    cadence_days=CADENCE_DAYS.get(m.cadence),
                )
                for m in business
            ],
            unpaired_technical_metrics=[
                m.name for m in metrics if m.kind == MetricKind.TECHNICAL and not m.paired_with_id
            ],
            success_definition=use_case.success_definition,
            sponsor_signed=use_case.sponsor_signed_off_at is not None,
            operator_signed=use_case.operator_signed_off_at is not None,
            sign_offs=use_case_parties_signed(use_case),
            scale_memo_status=memo.status if memo else None,
            state_before_hold=use_case.state_before_hold,
        )
    )


def use_case_page(*, pk: int) -> UseCasePage:
    """The use case with its record, reviews (scorecards, votes, recusals, decision and
    conditions), metric history, flags, durations and diagnostic (14 queries, any size)."""
    use_case = (
        UseCase.objects.select_related(
            "department", "outcome_owner", "sponsor", "operator_lead", "template"
        )
        .prefetch_related("data_gaps", "artifacts")
        .get(pk=pk)
    )
    reviews = list(
        GateReview.objects.filter(use_case=use_case)
        .select_related("criteria_set", "requested_by")
        .prefetch_related(
            Prefetch(
                "snapshots",
                queryset=EvidenceSnapshot.objects.order_by("-taken_at", "-id"),
            ),
            Prefetch("votes", queryset=Vote.objects.select_related("member__user", "cast_by")),
            Prefetch("recusals", queryset=Recusal.objects.select_related("member__user")),
            Prefetch(
                "decision",
                queryset=Decision.objects.select_related("decided_by").prefetch_related(
                    "conditions"
                ),
            ),
        )
        .order_by("requested_at", "id")
    )
    for review in reviews:
        snapshots = list(review.snapshots.all())
        review.latest_snapshot = snapshots[0] if snapshots else None
        try:
            review.the_decision = review.decision
        except Decision.DoesNotExist:
            review.the_decision = None
    metrics = list(
        Metric.objects.filter(use_case=use_case)
        .select_related("paired_with")
        .prefetch_related(
            Prefetch("readings", MetricReading.objects.current(), to_attr="readings_so_far")
        )
    )
    return UseCasePage(
        use_case=label(use_case),
        transitions=list(transition_history(use_case_id=use_case.pk)),
        reviews=reviews,
        metrics=metrics,
        flags=list(Flag.objects.filter(use_case=use_case).order_by("cleared_at", "-raised_at")),
        durations=use_case_durations(use_case_id=use_case.pk),
        diagnostic=diagnostic_of(use_case, metrics),
    )
