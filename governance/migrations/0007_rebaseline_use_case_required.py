"""Every re-baselining request names its use case (0006 filled it in for the older ones).
A migration of its own: on PostgreSQL a column cannot be altered in the transaction that
updated its rows while their foreign-key checks are still pending."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_rebaseline_add_and_retire"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rebaselinerequest",
            name="use_case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rebaseline_requests",
                to="portfolio.usecase",
            ),
        ),
    ]
