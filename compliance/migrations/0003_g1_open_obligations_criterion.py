"""A new version of every current G1 criteria set with the must-meet criterion "No open
obligation due before go-live" (gates' versioning: the old version stays, unchanged, for the
reviews judged by it). New installations get it from gates' default loading as well
(compliance registers it in gates.registry)."""

from django.db import migrations

from compliance.measurable import DEFAULT_G1
from compliance.migrations._criteria import criterion_add


def add(apps, schema_editor):
    criterion_add(
        apps,
        gate="G1",
        criterion=DEFAULT_G1,
        notes="Compliance: no open obligation due before go-live (must meet).",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0002_catalogue"),
        ("gates", "0004_criterion_measurable_registry"),
    ]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
