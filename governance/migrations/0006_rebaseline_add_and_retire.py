"""Re-baselining requests may add a business metric or retire one (kind), and every
request names its use case (filled in for the requests recorded before, from their metric;
0007 then makes it required). On PostgreSQL the append-only trigger is lifted for that one
fill-in of a derived column, and put back in the same transaction."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


TABLE = "governance_rebaselinerequest"
TRIGGER = f"{TABLE}_append_only"


def use_case_from_metric(apps, schema_editor):
    request_model = apps.get_model("governance", "RebaselineRequest")
    metric_model = apps.get_model("portfolio", "Metric")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    request_model.objects.filter(use_case__isnull=True).update(
        use_case_id=models.Subquery(
            metric_model.objects.filter(pk=models.OuterRef("metric_id")).values("use_case_id")[:1]
        )
    )
    if postgres:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0005_rebaseline_goalposts"),
        ("portfolio", "0011_metric_retired_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="rebaselinedecision",
            name="created_metric",
            field=models.ForeignKey(
                blank=True,
                help_text="For an approved request to add a metric: the metric it added.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="portfolio.metric",
            ),
        ),
        migrations.AddField(
            model_name="rebaselinepending",
            name="metric_name",
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AddField(
            model_name="rebaselinepending",
            name="use_case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="portfolio.usecase",
            ),
        ),
        migrations.AddField(
            model_name="rebaselinerequest",
            name="kind",
            field=models.CharField(
                choices=[
                    ("change", "Move goalposts"),
                    ("add", "Add a business metric"),
                    ("retire", "Retire a business metric"),
                ],
                default="change",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="rebaselinerequest",
            name="use_case",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rebaseline_requests",
                to="portfolio.usecase",
            ),
        ),
        migrations.AlterField(
            model_name="rebaselinepending",
            name="metric",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pending_rebaseline",
                to="portfolio.metric",
            ),
        ),
        migrations.AlterField(
            model_name="rebaselinerequest",
            name="metric",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rebaseline_requests",
                to="portfolio.metric",
            ),
        ),
        migrations.AlterField(
            model_name="rebaselinerequest",
            name="new_baseline",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True),
        ),
        migrations.AlterField(
            model_name="rebaselinerequest",
            name="new_target",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=18, null=True),
        ),
        migrations.AddConstraint(
            model_name="rebaselinepending",
            constraint=models.UniqueConstraint(
                models.F("use_case"),
                django.db.models.functions.text.Lower("metric_name"),
                condition=models.Q(("metric__isnull", True)),
                name="one_pending_add_per_use_case_and_name",
            ),
        ),
        migrations.AddConstraint(
            model_name="rebaselinerequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "add"), ("metric__isnull", True)),
                    models.Q(models.Q(("kind", "add"), _negated=True), ("metric__isnull", False)),
                    _connector="OR",
                ),
                name="rebaseline_add_has_no_metric_others_one",
            ),
        ),
        migrations.RunPython(use_case_from_metric, migrations.RunPython.noop),
    ]
