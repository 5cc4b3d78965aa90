"""What compliance's criteria migrations share: a new version of every current criteria set of
a gate with one more criterion (gates' versioning: the old version stays, unchanged, for the
reviews judged by it)."""

from django.db.models import Max

FIELDS = [
    "label", "measurable", "metric_name", "artifact_kind", "comparator", "threshold",
    "threshold_high", "kind", "weight",
]  # fmt: skip


def criterion_add(apps, *, gate: str, criterion: dict, notes: str) -> None:
    CriteriaSet = apps.get_model("gates", "CriteriaSet")
    Criterion = apps.get_model("gates", "Criterion")
    for current in CriteriaSet.objects.filter(gate=gate, is_current=True).order_by("id"):
        criteria = list(Criterion.objects.filter(criteria_set=current).order_by("position", "id"))
        if any(c.measurable == criterion["measurable"] for c in criteria):
            continue
        version = (
            CriteriaSet.objects.filter(gate=gate, playbook=current.playbook).aggregate(
                v=Max("version")
            )["v"]
            + 1
        )
        CriteriaSet.objects.filter(pk=current.pk).update(is_current=False)
        revised = CriteriaSet.objects.create(
            gate=gate,
            playbook=current.playbook,
            version=version,
            is_current=True,
            pass_mark=current.pass_mark,
            name=current.name,
            notes=notes,
            supersedes=current,
        )
        rows = [
            Criterion(criteria_set=revised, position=i, **{f: getattr(c, f) for f in FIELDS})
            for i, c in enumerate(criteria)
        ]
        rows.append(Criterion(criteria_set=revised, position=len(rows), **criterion))
        Criterion.objects.bulk_create(rows)
