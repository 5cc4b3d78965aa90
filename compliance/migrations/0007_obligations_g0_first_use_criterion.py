"""A new version of every current G0 criteria set with the must-meet criterion "No open
obligation due before first use" (a pilot is use of the system on people). New
installations get it from gates' default loading as well (compliance registers it)."""

from django.db import migrations

from compliance.measurable import DEFAULT_G0
from compliance.migrations._criteria import criterion_add


def add(apps, schema_editor):
    criterion_add(
        apps,
        gate="G0",
        criterion=DEFAULT_G0,
        notes="Compliance: no open obligation due before first use (must meet; a pilot is use).",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0006_obligations_v2_catalogue"),
        ("gates", "0006_threshold_bounds"),
    ]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
