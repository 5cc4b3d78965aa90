from django.db import migrations, models


class Migration(migrations.Migration):
    """Imported history on the transition record: its kind and source file, never a decision.

    On PostgreSQL the new column comes with a default, so no existing row is rewritten (the
    append-only trigger refuses UPDATE).
    """

    dependencies = [
        ("portfolio", "0005_use_case_external_reference"),
    ]

    operations = [
        migrations.AddField(
            model_name="transitionrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("recorded", "Recorded in Flywheel"),
                    ("imported", "Imported history (not a gate decision)"),
                ],
                default="recorded",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="transitionrecord",
            name="source_file",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddConstraint(
            model_name="transitionrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind", "recorded"))
                | models.Q(
                    ("authorisation_id__isnull", True),
                    ("authorisation_type__isnull", True),
                    models.Q(("source_file", ""), _negated=True),
                ),
                name="imported_transition_has_source_and_no_decision",
            ),
        ),
    ]
