"""The gate measurables components contributes, registered with gates from ready():

- "metric of the linked model version" (``mlflow_metric``): the criterion's metric name read
  from the run of the MLflow model version linked to one of the use case's models, as last
  fetched; no data (with the reason) when nothing was fetched or the server did not answer;
- "vendor assessment passed" (``vendor_assessment_passed``): 1 when every vendor the use
  case relies on has a passed assessment that has not expired, else 0; no data when it
  relies on no vendor.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from components.choices import ComponentKind
from components.models import Component, MlflowLink
from components.selectors import assessment_expiry, latest_assessments, vendor_ids_of
from gates.measurables import NO_DATA, Measured

MLFLOW_KEY = "mlflow_metric"
VENDOR_KEY = "vendor_assessment_passed"


def mlflow_load(*, use_case_id: int, at) -> tuple[dict, ...]:
    """What was fetched for the MLflow versions linked to the use case's models (1 query)."""
    links = (
        MlflowLink.objects.filter(
            component__kind=ComponentKind.MODEL, component__links__use_case_id=use_case_id
        )
        .distinct()
        .select_related("component")
        .order_by("component_id")
    )
    return tuple(
        {
            "component_id": link.component_id,
            "model": str(link.component),
            "tracking_url": link.tracking_url,
            "registered_model": link.model_name,
            "version": link.resolved_version or link.version,
            "alias": link.alias,
            "run_id": link.run_id,
            "metrics": dict(link.metrics),
            "fetched_at": link.fetched_at.isoformat() if link.fetched_at else None,
            "fetch_error": link.fetch_error,
        }
        for link in links
    )


def mlflow_metric(evidence, *, metric_name: str = "", **_) -> Measured:
    """The named metric of the first linked model version that has it, with its run."""
    rows = evidence.extra.get(MLFLOW_KEY, ())
    reasons = []
    for row in rows:
        if row["fetch_error"]:
            reasons.append({"model": row["model"], "reason": row["fetch_error"]})
            continue
        if metric_name in row["metrics"]:
            try:
                value = Decimal(str(row["metrics"][metric_name]))
            except InvalidOperation:
                reasons.append({"model": row["model"], "reason": "the value is not a number"})
                continue
            source = {
                "model": row["model"],
                "tracking_url": row["tracking_url"],
                "registered_model": row["registered_model"],
                "version": row["version"],
                "run_id": row["run_id"],
                "metric": metric_name,
                "value": str(value),
                "fetched_at": row["fetched_at"],
            }
            return Measured(value, (source,))
        reasons.append(
            {"model": row["model"], "reason": f"the run has no metric '{metric_name}'"}
            if row["fetched_at"]
            else {"model": row["model"], "reason": "not fetched yet"}
        )
    if not rows:
        reasons.append({"reason": "no model of the use case is linked to an MLflow version"})
    return Measured(None, tuple(reasons))


def vendor_load(*, use_case_id: int, at) -> tuple[dict, ...]:
    """Each vendor the use case relies on and its latest assessment up to ``at`` (3 queries)."""
    vendor_ids = sorted(vendor_ids_of(use_case_ids=[use_case_id]).get(use_case_id, ()))
    latest = latest_assessments(vendor_ids=vendor_ids, at=at)
    expiry = assessment_expiry(at=at)
    names = dict(Component.objects.filter(pk__in=vendor_ids).values_list("pk", "name"))
    rows = []
    for vendor_id in vendor_ids:
        assessment = latest.get(vendor_id)
        rows.append(
            {
                "vendor_id": vendor_id,
                "vendor": names.get(vendor_id, ""),
                "assessed_at": assessment.assessed_at.isoformat() if assessment else None,
                "score": str(assessment.score) if assessment else None,
                "passed": bool(assessment and assessment.passed),
                "expired": bool(assessment and assessment.assessed_at < expiry),
            }
        )
    return tuple(rows)


def vendor_assessment_passed(evidence, **_) -> Measured:
    rows = tuple(evidence.extra.get(VENDOR_KEY, ()))
    if not rows:
        return NO_DATA
    ok = all(row["passed"] and not row["expired"] for row in rows)
    return Measured(Decimal(1) if ok else Decimal(0), rows)


@dataclass(frozen=True)
class Contribution:
    key: str
    label: str
    load: object
    function: object


MEASURABLES = (
    Contribution(
        MLFLOW_KEY, "Metric of the linked model version (MLflow)", mlflow_load, mlflow_metric
    ),
    Contribution(VENDOR_KEY, "Vendor assessment passed", vendor_load, vendor_assessment_passed),
)
