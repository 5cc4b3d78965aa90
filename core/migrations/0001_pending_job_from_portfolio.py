"""PendingJob moves from portfolio to core with the after-commit queue (core.jobs).

The table portfolio created is taken over (state only), then renamed to core's name.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("portfolio", "0015_flag_kinds_all"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PendingJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("task", models.CharField(max_length=120)),
                        ("kwargs_key", models.CharField(max_length=400)),
                        ("kwargs", models.JSONField(default=dict)),
                        ("first_failed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("attempts", models.PositiveIntegerField(default=1)),
                        ("last_error", models.CharField(blank=True, max_length=400)),
                    ],
                    options={
                        "ordering": ["first_failed_at", "id"],
                        "constraints": [models.UniqueConstraint(fields=("task", "kwargs_key"), name="pending_job_key")],
                        "db_table": "portfolio_pendingjob",
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name="pendingjob", table=None),
    ]
