"""The default criteria sets that ship with the product (editable: a change is a new version).

G0: a named owner, a business metric with baseline and target, every technical metric
paired, data reality documented, risk tier not unacceptable, human oversight where high
risk. G1: pilot within its time box, lift at least half-way to target, projected ROI >= 1,
scale memo and integration plan final, readings at least every 14 days. G2: realised
ROI >= 2, target met. Discovery: a 90-day pilot box at G1. Resilient: scenarios and warning
signs named at every gate.
"""

from decimal import Decimal

from django.db import migrations

from gates.defaults import DEFAULTS


def load(apps, schema_editor):
    CriteriaSet = apps.get_model("gates", "CriteriaSet")
    Criterion = apps.get_model("gates", "Criterion")
    for gate, playbook, name, criteria in DEFAULTS:
        if CriteriaSet.objects.filter(gate=gate, playbook=playbook).exists():
            continue
        criteria_set = CriteriaSet.objects.create(
            gate=gate,
            playbook=playbook,
            version=1,
            is_current=True,
            pass_mark=Decimal("70"),
            name=name,
            notes="Shipped default.",
        )
        Criterion.objects.bulk_create(
            Criterion(criteria_set=criteria_set, position=i, **spec)
            for i, spec in enumerate(criteria)
        )


class Migration(migrations.Migration):
    dependencies = [("gates", "0002_append_only_trigger")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
