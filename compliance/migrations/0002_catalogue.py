"""The obligations catalogue, its dates of application and the crosswalk, shipped as data.

Only missing rows are created; administrators' corrections are never overwritten.
"""

from datetime import date

from django.db import migrations

from compliance.migrations import _catalogue_v1 as catalogue
from compliance.crosswalk_data import CROSSWALK


def load(apps, schema_editor):
    ApplicationDate = apps.get_model("compliance", "ApplicationDate")
    ObligationType = apps.get_model("compliance", "ObligationType")
    CrosswalkEntry = apps.get_model("compliance", "CrosswalkEntry")
    for key, provision, applies_from, source, note in catalogue.APPLICATION_DATES:
        ApplicationDate.objects.get_or_create(
            key=key,
            defaults={
                "provision": provision,
                "applies_from": date.fromisoformat(applies_from),
                "source": source,
                "source_url": catalogue.AI_ACT_URL,
                "note": note,
            },
        )
    dates = {d.key: d for d in ApplicationDate.objects.all()}
    for spec in catalogue.OBLIGATION_TYPES:
        ObligationType.objects.get_or_create(
            code=spec["code"],
            defaults={**spec, "application_date": dates[spec["application_date"]]},
        )
    for position, (framework, reference, title, evidence, explanation) in enumerate(CROSSWALK):
        CrosswalkEntry.objects.get_or_create(
            framework=framework,
            reference=reference,
            evidence=evidence,
            defaults={"title": title, "explanation": explanation, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
