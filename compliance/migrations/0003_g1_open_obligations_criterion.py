"""A new version of every current G1 criteria set with the must-meet criterion "No open
obligation due before go-live" (gates' versioning: the old version stays, unchanged, for the
reviews judged by it). New installations get it from gates' default loading as well
(compliance registers it in gates.registry)."""

from django.db import migrations
from django.db.models import Max

from compliance.measurable import DEFAULT_G1, KEY


def add(apps, schema_editor):
    CriteriaSet = apps.get_model("gates", "CriteriaSet")
    Criterion = apps.get_model("gates", "Criterion")
    for current in CriteriaSet.objects.filter(gate="G1", is_current=True).order_by("id"):
        criteria = list(Criterion.objects.filter(criteria_set=current).order_by("position", "id"))
        if any(c.measurable == KEY for c in criteria):
            continue
        version = (
            CriteriaSet.objects.filter(gate="G1", playbook=current.playbook).aggregate(
                v=Max("version")
            )["v"]
            + 1
        )
        CriteriaSet.objects.filter(pk=current.pk).update(is_current=False)
        revised = CriteriaSet.objects.create(
            gate="G1",
            playbook=current.playbook,
            version=version,
            is_current=True,
            pass_mark=current.pass_mark,
            name=current.name,
            notes="Compliance: no open obligation due before go-live (must meet).",
            supersedes=current,
        )
        fields = [
            "label", "measurable", "metric_name", "artifact_kind", "comparator", "threshold",
            "threshold_high", "kind", "weight",
        ]
        rows = [
            Criterion(criteria_set=revised, position=i, **{f: getattr(c, f) for f in fields})
            for i, c in enumerate(criteria)
        ]
        rows.append(Criterion(criteria_set=revised, position=len(rows), **DEFAULT_G1))
        Criterion.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_catalogue"),
        ("gates", "0004_criterion_measurable_registry"),
    ]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
