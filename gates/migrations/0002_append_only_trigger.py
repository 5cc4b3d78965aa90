"""On PostgreSQL, refuse UPDATE and DELETE of frozen evidence snapshots in the database."""

from django.db import migrations

from core.append_only import attach_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("gates", "0001_initial"),
        ("portfolio", "0002_append_only_trigger"),
    ]
    operations = [attach_triggers("gates_evidencesnapshot")]
