from inventory.services import inventory_import
from portfolio.models import TransitionRecord, UseCase
from tests.inventory.conftest import csv_file

ROWS = [
    {
        "Reference": "INV-1",
        "Title": "Claims triage",
        "Department": "claims",
        "Outcome owner": "olivia",
        "Submitted": "2024-01-15",
        "Pilot": "01/03/2024",
        "Scale": "1 Jul 2024",
    },
    {
        "Record": "metric",
        "Reference": "INV-1",
        "Metric": "Handling time",
        "Unit": "min",
        "Direction": "lower",
        "Baseline": "42",
        "Target": "30",
        "Cadence": "monthly",
    },
    {
        "Record": "metric",
        "Reference": "INV-1",
        "Metric": "Accuracy",
        "Metric kind": "technical",
        "Unit": "%",
        "Paired with": "Handling time",
    },
    {
        "Record": "reading",
        "Reference": "INV-1",
        "Metric": "Handling time",
        "Value": "39.5",
        "Measured on": "2024-04-30",
    },
    {
        "Record": "data gap",
        "Reference": "INV-1",
        "Data gap": "Paper archive",
        "Owner committed": "yes",
    },
]


def test_smoke(importer, claims, owner):
    content = csv_file(ROWS)
    report = inventory_import(actor=importer, content=content, filename="inv.csv", dry_run=True)
    assert report["errors"] == [], report["errors"]
    assert not UseCase.objects.exists()
    report = inventory_import(actor=importer, content=content, filename="inv.csv", dry_run=False)
    assert report["applied"], report["errors"]
    uc = UseCase.objects.get()
    assert uc.state == "scale"
    assert TransitionRecord.objects.filter(kind="imported").count() == 3
    again = inventory_import(actor=importer, content=content, filename="inv.csv", dry_run=False)
    print(again["counts"], again["refused"])
    assert again["counts"]["use case"]["unchanged"] == 1
