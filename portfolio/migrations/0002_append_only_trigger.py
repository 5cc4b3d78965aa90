"""On PostgreSQL, refuse UPDATE and DELETE of the transition record in the database itself."""

from django.db import migrations

from core.append_only import attach_triggers

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION flywheel_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '%% rows are append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_initial")]
    operations = [
        migrations.RunPython(create_function, migrations.RunPython.noop),
        attach_triggers("portfolio_transitionrecord"),
    ]
