"""Saving an intake in one step: the use case's fields and answers, its metrics and data
gaps, and (when asked) its submission, all in one transaction. The intake page, the API,
the admin and the inventory import's changes all save through ``use_case_intake_save``, so
a refused part saves nothing and every rule holds on every surface."""

from dataclasses import dataclass, field

from django.db import transaction

from portfolio.choices import MetricKind
from portfolio.intake import GAP_FIELDS
from portfolio.models import Department, UseCase
from portfolio.services.intake import (
    data_gap_create,
    data_gap_delete,
    data_gap_update,
    use_case_create,
    use_case_update,
)
from portfolio.services.lifecycle import use_case_submit
from portfolio.services.metrics import metric_create, metric_delete, metric_update


@dataclass
class Rows:
    """The rows of a list the intake edits as a whole (metrics or data gaps): the rows kept
    or added (a row with an ``id`` of the use case's changes that row) and the ids removed."""

    rows: list[dict] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


def _metrics_sync(*, actor, use_case: UseCase, metrics: Rows) -> None:
    """Metrics as the intake lists them; a technical metric names the business metric it
    moves by name (``pairs_with``), so the business metrics are written first."""
    existing = {m.pk: m for m in use_case.metrics.select_related("paired_with")}
    for pk in metrics.deleted:
        if pk in existing:
            metric_delete(actor=actor, metric=existing.pop(pk))
    by_name = {m.name: m for m in existing.values()}
    for row in sorted(metrics.rows, key=lambda row: row["kind"] != MetricKind.BUSINESS):
        fields = {
            "kind": row["kind"],
            "direction": row["direction"],
            "baseline": row["baseline"],
            "target": row["target"],
            "cadence": row["cadence"],
            "paired_with": by_name.get(row["pairs_with"]) if row.get("pairs_with") else None,
        }
        if row.get("id") in existing:
            metric = metric_update(
                actor=actor,
                metric=existing[row["id"]],
                name=row["name"],
                unit=row["unit"],
                **fields,
            )
        else:
            metric = metric_create(
                actor=actor, use_case=use_case, name=row["name"], unit=row["unit"], **fields
            )
        by_name[metric.name] = metric


def _gaps_sync(*, actor, use_case: UseCase, gaps: Rows) -> None:
    existing = {gap.pk: gap for gap in use_case.data_gaps.all()}
    for pk in gaps.deleted:
        if pk in existing:
            data_gap_delete(actor=actor, gap=existing.pop(pk))
    for row in gaps.rows:
        fields = {name: row[name] for name in GAP_FIELDS if name in row}
        if row.get("id") in existing:
            data_gap_update(actor=actor, gap=existing[row["id"]], **fields)
        else:
            data_gap_create(actor=actor, use_case=use_case, **fields)


@transaction.atomic
def use_case_intake_save(
    *,
    actor,
    intake: dict,
    use_case: UseCase | None = None,
    department: Department | None = None,
    custom: dict | None = None,
    metrics: Rows | None = None,
    gaps: Rows | None = None,
    submit: bool = False,
) -> UseCase:
    """Create a draft in ``department`` (no ``use_case``) or change ``use_case``: its intake
    fields, the answers to the organisation's own fields, its metrics and data gaps as
    listed, then submit it if asked. One transaction: a refusal anywhere saves nothing."""
    if use_case is None:
        intake = dict(intake)
        saved = use_case_create(
            actor=actor,
            department=department,
            title=intake.pop("title", ""),
            custom=custom,
            **intake,
        )
    elif intake or custom:
        saved = use_case_update(actor=actor, use_case=use_case, custom=custom, **intake)
    else:
        saved = use_case
    if metrics is not None:
        _metrics_sync(actor=actor, use_case=saved, metrics=metrics)
    if gaps is not None:
        _gaps_sync(actor=actor, use_case=saved, gaps=gaps)
    if submit:
        saved = use_case_submit(use_case=saved, actor=actor)
    return saved
