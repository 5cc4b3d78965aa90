from django.db import migrations, models


class Migration(migrations.Migration):
    """The key of a use case in the organisation's own inventory, matched by the importer."""

    dependencies = [
        ("portfolio", "0004_velocity_snapshot_lean_writes"),
    ]

    operations = [
        migrations.AddField(
            model_name="usecase",
            name="external_reference",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
    ]
