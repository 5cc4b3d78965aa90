"""Database triggers that refuse UPDATE and DELETE of append-only tables (PostgreSQL only).

Used by the migrations of every app with an audit record. The trigger function itself,
flywheel_refuse_change(), is created by portfolio's migration 0002. TRUNCATE (test
teardown) is not a row operation and stays possible for the owner.
"""

from django.db import migrations


def _trigger_sql(table: str) -> str:
    return (
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION flywheel_refuse_change();"
    )


def attach_triggers(*tables: str) -> migrations.RunPython:
    """A migration operation attaching the append-only trigger to each table on PostgreSQL."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(_trigger_sql(table))

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in tables:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")

    return migrations.RunPython(forwards, backwards)
