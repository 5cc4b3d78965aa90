"""On PostgreSQL, refuse UPDATE and DELETE of frozen evidence snapshots in the database."""

from django.db import migrations

TABLES = ["gates_evidencesnapshot"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION flywheel_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("gates", "0001_initial"),
        ("portfolio", "0002_append_only_trigger"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
