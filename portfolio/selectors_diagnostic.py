"""The stall diagnostic's inputs read for many use cases at once, and the diagnostic itself
(a fixed number of queries, whatever the number of use cases)."""

from django.db.models import QuerySet, Window
from django.db.models.functions import Lag

from portfolio.choices import CADENCE_DAYS, ArtifactKind, MetricKind
from portfolio.diagnostic import BusinessMetric, Diagnostic, DiagnosticInput, Gap, diagnose
from portfolio.models import (
    Artifact,
    DataGap,
    Metric,
    MetricReading,
    UseCase,
)
from portfolio.selectors_sign_offs import (
    parties_signed,
    sign_off_steps,
    standing_role_sign_offs,
)


def diagnostic_inputs(*, use_case_ids, at=None) -> dict[int, DiagnosticInput]:
    """What the stall diagnostic looks at, for many use cases in six queries (seven when a
    stage's sign-off steps name a role of the organisation).

    Readings measured after ``at`` are ignored (a gate review judges the evidence as it was).
    """
    ids = use_case_ids if isinstance(use_case_ids, QuerySet) else list(use_case_ids)
    cases = UseCase.objects.filter(pk__in=ids).values(
        "id",
        "state",
        "state_before_hold",
        "outcome_owner_id",
        "owner_controls_resources",
        "data_assumed",
        "data_existing",
        "success_definition",
        "sponsor_signed_off_at",
        "operator_signed_off_at",
    )
    steps = sign_off_steps()
    standing = (
        standing_role_sign_offs(ids)
        if any(s.role_id for stage in steps.values() for s in stage)
        else {}
    )
    gaps: dict[int, list[Gap]] = {}
    for row in DataGap.objects.filter(use_case_id__in=ids).values(
        "use_case_id", "closing_work", "work_owner", "owner_committed", "blocks_production"
    ):
        gaps.setdefault(row.pop("use_case_id"), []).append(Gap(**row))
    memos = dict(
        Artifact.objects.filter(use_case_id__in=ids, kind=ArtifactKind.SCALE_MEMO).values_list(
            "use_case_id", "status"
        )
    )
    readings = MetricReading.objects.current().filter(
        metric__use_case_id__in=ids, metric__kind=MetricKind.BUSINESS
    )
    if at is not None:
        readings = readings.filter(measured_at__lte=at)
    reading_gaps: dict[int, list[float]] = {}
    reading_counts: dict[int, int] = {}
    for metric_id, measured_at, previous in readings.annotate(
        previous=Window(
            Lag("measured_at"), partition_by=["metric_id"], order_by=["measured_at", "id"]
        )
    ).values_list("metric_id", "measured_at", "previous"):
        reading_counts[metric_id] = reading_counts.get(metric_id, 0) + 1
        if previous is not None:
            days = (measured_at - previous).total_seconds() / 86400
            reading_gaps.setdefault(metric_id, []).append(days)
    business: dict[int, list[BusinessMetric]] = {}
    unpaired: dict[int, list[str]] = {}
    for metric_id, use_case_id, kind, name, cadence, paired in (
        Metric.objects.active(at)
        .filter(use_case_id__in=ids)
        .values_list("id", "use_case_id", "kind", "name", "cadence", "paired_with_id")
    ):
        if kind == MetricKind.BUSINESS:
            business.setdefault(use_case_id, []).append(
                BusinessMetric(
                    name=name,
                    reading_gaps_days=tuple(reading_gaps.get(metric_id, ())),
                    readings=reading_counts.get(metric_id, 0),
                    cadence_days=CADENCE_DAYS.get(cadence),
                )
            )
        elif paired is None:
            unpaired.setdefault(use_case_id, []).append(name)
    return {
        row["id"]: DiagnosticInput(
            state=row["state"],
            state_before_hold=row["state_before_hold"],
            owner_named=row["outcome_owner_id"] is not None,
            owner_controls=row["owner_controls_resources"],
            data_assumed=row["data_assumed"],
            data_existing=row["data_existing"],
            gaps=tuple(gaps.get(row["id"], ())),
            business_metrics=tuple(business.get(row["id"], ())),
            unpaired_technical_metrics=tuple(unpaired.get(row["id"], ())),
            success_definition=row["success_definition"],
            sponsor_signed=row["sponsor_signed_off_at"] is not None,
            operator_signed=row["operator_signed_off_at"] is not None,
            sign_offs=parties_signed(row=row, steps=steps, standing=standing),
            scale_memo_status=memos.get(row["id"]),
        )
        for row in cases
    }


def diagnostics_for(*, use_case_ids, at=None) -> dict[int, Diagnostic]:
    """The six-line stall diagnostic of each use case (five queries in all)."""
    return {
        pk: diagnose(data)
        for pk, data in diagnostic_inputs(use_case_ids=use_case_ids, at=at).items()
    }


def use_case_diagnostic(*, use_case_id: int, at=None) -> Diagnostic | None:
    """The stall diagnostic of one use case, or None when it does not exist."""
    return diagnostics_for(use_case_ids=[use_case_id], at=at).get(use_case_id)
