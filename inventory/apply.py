"""Writing a checked plan: new rows in bulk, changes through the portfolio's services.

Called only for a plan without errors, inside the import's transaction: either all of it
is written or none of it.
"""

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from inventory.custom_columns import CUSTOM
from inventory.extra_columns import extra_apply
from inventory.people import split_name, username_for
from inventory.plan import Plan
from inventory.plan_templates import TemplateRef
from inventory.plan_use_cases import NewDepartment, NewPerson
from portfolio.choices import MetricKind
from portfolio.models import DataGap, Department, Metric, MetricReading, UseCase
from portfolio.services import (
    ImportedHistory,
    data_gap_update,
    department_create,
    metric_update,
    transition_import,
    use_case_intake_save,
)
from portfolio.tasks import department_recompute_on_commit


def _people(plan: Plan) -> dict:
    """The people the file names who are new (created only with the option)."""
    User = get_user_model()
    created = {}
    for key, identifier in sorted(plan.new_people.items()):
        email = identifier.strip() if "@" in identifier else ""
        first_name, last_name = split_name(identifier)
        username = username_for(
            identifier, lambda name: User.objects.filter(username__iexact=name).exists()
        )
        created[key] = User.objects.create_user(
            username=username, email=email, first_name=first_name[:150], last_name=last_name[:150]
        )
    return created


def _departments(plan: Plan) -> dict:
    created = {}
    for key, name in sorted(plan.new_departments.items()):
        slug = slugify(name)[:60] or key.replace(" ", "-")[:60]
        while Department.objects.filter(slug=slug).exists():
            slug = f"{slug[:55]}-{len(created) + 1}"
        created[key] = department_create(name=name, slug=slug)
    return created


def _resolve(value, people: dict, created: dict | None = None):
    if isinstance(value, NewPerson):
        return people[value.identifier]
    if isinstance(value, TemplateRef):
        return None if created is None else created[value.reference]
    return value


def _use_cases(plan: Plan, *, actor, people, departments, progress) -> dict[str, UseCase]:
    histories = []
    for new in plan.new_use_cases:
        department = new.department
        if isinstance(department, NewDepartment):
            department = departments[department.name]
        fields = {key: _resolve(value, people) for key, value in new.fields.items()}
        use_case = UseCase(
            department=department, external_reference=new.reference, created_by=actor, **fields
        )
        histories.append(ImportedHistory(use_case=use_case, moves=new.moves))
    if progress:
        progress("writing use cases", 0, len(histories))
    created = transition_import(histories=histories, actor=actor, source_file=plan.source_file)
    by_reference = {use_case.external_reference: use_case for use_case in created}
    linked = []
    for new in plan.new_use_cases:
        if isinstance(new.fields.get("template"), TemplateRef):
            use_case = by_reference[new.reference]
            use_case.template = by_reference[new.fields["template"].reference]
            linked.append(use_case)
    UseCase.objects.bulk_update(linked, ["template"], batch_size=500)
    for changed in plan.changed_use_cases:
        use_case = changed.use_case
        if changed.changes:
            changes = {
                key: _resolve(value, people, by_reference) for key, value in changed.changes.items()
            }
            custom = changes.pop(CUSTOM, None)
            use_case = use_case_intake_save(
                actor=actor, use_case=use_case, custom=custom, intake=changes
            )
        if changed.moves:
            history = ImportedHistory(use_case=use_case, moves=changed.moves)
            transition_import(histories=[history], actor=actor, source_file=plan.source_file)
    return by_reference


def _metrics(plan: Plan, *, actor, use_case_of, found_metrics: dict) -> dict:
    metrics = dict(found_metrics)
    for kind in (MetricKind.BUSINESS, MetricKind.TECHNICAL):
        batch = []
        for new in (m for m in plan.new_metrics if m.fields["kind"] == kind):
            use_case = use_case_of(new.reference)
            paired = metrics[(use_case.pk, new.paired_name.casefold())] if new.paired_name else None
            batch.append(Metric(use_case=use_case, name=new.name, paired_with=paired, **new.fields))
        for metric in Metric.objects.bulk_create(batch, batch_size=1000):
            metrics[(metric.use_case_id, metric.name.casefold())] = metric
    for metric, changes in plan.changed_metrics:
        if "paired_with" in changes:
            changes = {
                **changes,
                "paired_with": metrics[(metric.use_case_id, changes["paired_with"].casefold())],
            }
        metric_update(actor=actor, metric=metric, **changes)
    return metrics


def plan_apply(*, plan: Plan, actor, found, progress=None) -> set[int]:
    """Write the plan; returns the departments it touched. Must run inside a transaction."""
    people = _people(plan)
    departments = _departments(plan)
    created = _use_cases(
        plan, actor=actor, people=people, departments=departments, progress=progress
    )

    def use_case_of(reference: str) -> UseCase:
        return created.get(reference) or found.use_cases[reference]

    metrics = _metrics(plan, actor=actor, use_case_of=use_case_of, found_metrics=found.metrics)
    if progress:
        progress("writing readings", 0, len(plan.new_readings))
    MetricReading.objects.bulk_create(
        (
            MetricReading(
                metric=metrics[(use_case_of(r.reference).pk, r.metric_key)],
                value=r.value,
                measured_at=r.measured_at,
                recorded_by=actor,
                note=r.note,
            )
            for r in plan.new_readings
        ),
        batch_size=2000,
    )
    DataGap.objects.bulk_create(
        (DataGap(use_case=use_case_of(g.reference), **g.fields) for g in plan.new_gaps),
        batch_size=1000,
    )
    for gap, changes in plan.changed_gaps:
        data_gap_update(actor=actor, gap=gap, **changes)
    extra_apply(plan, use_case_of=use_case_of, actor=actor)
    touched = {uc.department_id for uc in created.values()}
    touched |= {c.use_case.department_id for c in plan.changed_use_cases}
    touched |= {use_case_of(r.reference).department_id for r in plan.new_readings}
    touched |= {metric.use_case.department_id for metric, _ in plan.changed_metrics}
    for department_id in touched:
        department_recompute_on_commit(department_id=department_id)
    return touched
