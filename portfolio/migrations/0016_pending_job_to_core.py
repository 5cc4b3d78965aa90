"""PendingJob now lives in core (core.jobs' outbox); its table went with it (core 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0015_flag_kinds_all"),
        ("core", "0001_pending_job_from_portfolio"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="PendingJob")]),
    ]
