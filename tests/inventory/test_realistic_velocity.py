"""A realistic inventory of 50 use cases over three years, imported from .xlsx: the department
velocity computed from the imported history matches figures worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from inventory.services import inventory_import
from portfolio.models import Flag, FlagKind, TransitionRecord, UseCase
from portfolio.selectors_diagnostic import use_case_diagnostic
from portfolio.selectors_velocity import department_velocity
from tests import factories
from tests.support.inventory import xlsx_file

# Claims, in submission order (every 42 days from 3 January 2022):
# (days submitted -> pilot, days pilot -> scale excluding holds, what happened after).
CLAIMS = [
    (60, 120, "scale"),  # k0
    (55, 115, "scale"),  # k1
    (50, None, "killed in pilot"),  # k2
    (58, 130, "scale"),  # k3
    (45, 100, "scale, held 30 days in pilot"),  # k4
    (40, 95, "scale"),  # k5
    (None, None, "held and killed before pilot"),  # k6
    (42, 98, "scale"),  # k7
    (38, 90, "extend"),  # k8
    (35, 85, "scale"),  # k9
    (36, 80, "scale"),  # k10
    (None, None, "killed before pilot"),  # k11
    (30, 78, "retired"),  # k12
    (32, 80, "scale"),  # k13
    (28, 72, "scale"),  # k14
    (26, 70, "scale"),  # k15
    (25, 65, "scale"),  # k16
    (30, None, "pilot"),  # k17
    (25, 70, "scale"),  # k18
    (24, 75, "scale"),  # k19
    (28, None, "pilot"),  # k20
    (27, None, "pilot"),  # k21
    (None, None, "submitted"),  # k22
    (None, None, "submitted"),  # k23
    (None, None, "draft"),  # k24
]
START = date(2022, 1, 3)


def _iso(day: date) -> str:
    return day.isoformat()


def claims_rows() -> list[dict]:
    rows = []
    for k, (intake, pilot, story) in enumerate(CLAIMS):
        ref = f"CL-{k:02d}"
        submitted = START + timedelta(days=42 * k)
        row = {
            "Record": "Use case",
            "ID": ref,
            "Use case name": f"Claims initiative {k}",
            "Dept": "Claims",
            "Owner": "olivia@example.com",
            "Controls resources": "yes",
            "Origin": "Bottom-up" if k % 2 else "Top-down",
            "Build cost (EUR)": 100000 + 1000 * k,
            "Expected benefit": 250000,
        }
        if story != "draft":
            row["Submission date"] = submitted
        if story == "held and killed before pilot":
            row["On hold"] = submitted + timedelta(days=20)
            row["Killed"] = submitted + timedelta(days=30)
            row["Kill reason"] = "No data owner"
            row["Lessons learned"], row["Root cause"] = "Check first.", "data"
        if story == "killed before pilot":
            row["Killed"] = submitted + timedelta(days=15)
            row["Kill reason"] = "Duplicate of CL-09"
            row["Lessons learned"], row["Root cause"] = "Check first.", "data"
        if intake is not None:
            pilot_at = submitted + timedelta(days=intake)
            row["Pilot start"] = pilot_at
            if story == "killed in pilot":
                row["Killed"] = pilot_at + timedelta(days=30)
                row["Kill reason"] = "Accuracy too low"
                row["Lessons learned"], row["Root cause"] = "Check first.", "data"
            if pilot is not None:
                held = 30 if "held 30" in story else 0
                if held:
                    row["On hold"] = pilot_at + timedelta(days=40)
                    row["Resumed"] = pilot_at + timedelta(days=70)
                scale_at = pilot_at + timedelta(days=pilot + held)
                row["Go-live"] = scale_at
                if story == "extend":
                    row["Extended"] = scale_at + timedelta(days=60)
                if story == "retired":
                    row["Decommissioned"] = scale_at + timedelta(days=200)
                    row["Lessons learned"], row["Root cause"] = "Buy, not build.", "value"
        rows.append(row)
        if intake is not None:
            rows += metric_rows(ref, submitted + timedelta(days=intake))
    return rows


def marketing_rows() -> list[dict]:
    """25 use cases that all take 30 + 90 days: every one the same as the one before."""
    rows = []
    for k in range(25):
        ref = f"MK-{k:02d}"
        submitted = date(2022, 1, 10) + timedelta(days=42 * k)
        rows.append(
            {
                "Record": "use case",
                "ID": ref,
                "Use case name": f"Marketing initiative {k}",
                "Dept": "marketing",
                "Owner": "olivia",
                "Submission date": submitted,
                "Pilot start": submitted + timedelta(days=30),
                "Go-live": submitted + timedelta(days=120),
            }
        )
        rows += metric_rows(ref, submitted + timedelta(days=30))
    return rows


def metric_rows(ref: str, pilot_at: date) -> list[dict]:
    rows = [
        {"Record": "metric", "ID": ref, "KPI": "Handling time", "Unit": "minutes",
         "Direction": "lower is better", "Baseline": 42, "Target": 30, "Frequency": "Monthly"},
        {"Record": "metric", "ID": ref, "KPI": "Routing accuracy", "Metric type": "Technical",
         "Unit": "%", "Direction": "higher", "Frequency": "weekly", "Paired with": "Handling time"},
    ]  # fmt: skip
    for month in range(4):
        rows.append(
            {
                "Record": "reading",
                "ID": ref,
                "KPI": "Handling time",
                "Value": 40 - month,
                "Reading date": pilot_at + timedelta(days=30 * month),
            }
        )
    return rows


@pytest.fixture
def inventory(db):
    factories.DepartmentFactory(name="Claims", slug="claims")
    factories.DepartmentFactory(name="Marketing", slug="marketing")
    factories.UserFactory(username="olivia", email="olivia@example.com")
    rows = claims_rows() + marketing_rows()
    assert len([r for r in rows if r["Record"].lower() == "use case"]) == 50
    return xlsx_file(rows)


def test_fifty_use_cases_import_and_their_velocity_is_the_one_worked_out_by_hand(
    inventory, django_capture_on_commit_callbacks, client
):
    admin = factories.administrator(username="importer")
    with django_capture_on_commit_callbacks(execute=True):
        report = inventory_import(
            actor=admin, content=inventory, filename="ai-inventory-2024.xlsx", dry_run=False
        )
    assert report["errors"] == [] and report["applied"]
    assert report["counts"]["use case"]["created"] == 50
    claims = {uc.external_reference: uc for uc in UseCase.objects.filter(department__slug="claims")}
    assert claims["CL-04"].state == "scale" and claims["CL-08"].state == "extend"
    assert claims["CL-12"].state == "retired" and claims["CL-24"].state == "draft"
    assert claims["CL-06"].state == "killed" and claims["CL-17"].state == "pilot"

    velocity = department_velocity(department_id=claims["CL-00"].department_id)
    sequence = [
        (row.use_case.external_reference, row.value, row.label) for row in velocity["sequence"]
    ]
    # Time to scale, worked out by hand: intake + pilot, the 30 days CL-04 was held excluded.
    assert sequence == [
        ("CL-00", Decimal("180"), "first"),
        ("CL-01", Decimal("170"), "faster"),
        ("CL-03", Decimal("188"), "slower"),
        ("CL-04", Decimal("145"), "faster"),
        ("CL-05", Decimal("135"), "faster"),
        ("CL-07", Decimal("140"), "slower"),
        ("CL-08", Decimal("128"), "faster"),
        ("CL-09", Decimal("120"), "faster"),
        ("CL-10", Decimal("116"), "faster"),
        ("CL-12", Decimal("108"), "faster"),
        ("CL-13", Decimal("112"), "slower"),
        ("CL-14", Decimal("100"), "faster"),
        ("CL-15", Decimal("96"), "faster"),
        ("CL-16", Decimal("90"), "faster"),
        ("CL-18", Decimal("95"), "slower"),
        ("CL-19", Decimal("99"), "slower"),
    ]
    assert velocity["sequence"][3].hold_days == Decimal("30")
    to_scale = velocity["trend"]
    # 10 of the 15 with a predecessor were faster; the last two were slower.
    assert float(to_scale.share_faster) == pytest.approx(10 / 15, abs=1e-4)
    assert to_scale.streak == 2
    assert to_scale.label == "accelerating" and to_scale.value < 0
    intake = velocity["trends"]["intake"]
    # Intake: 60 55 50 58 45 40 42 38 35 36 30 32 28 26 25 30 25 24 28 27 -> 13 of 19 faster.
    assert float(intake.share_faster) == pytest.approx(13 / 19, abs=1e-4)
    assert intake.streak == 0

    marketing = department_velocity(
        department_id=UseCase.objects.get(external_reference="MK-00").department_id
    )
    assert [row.value for row in marketing["sequence"]] == [Decimal("120")] * 25
    assert marketing["trend"].share_faster == 0 and marketing["trend"].label == "steady"

    # Flags and the diagnostic read imported use cases as they read native ones.
    flagged = set(
        Flag.objects.filter(
            kind=FlagKind.SLOWER_THAN_PREVIOUS, cleared_at__isnull=True
        ).values_list("use_case__external_reference", flat=True)
    )
    assert {"CL-03", "CL-07", "CL-13", "CL-18", "CL-19", "CL-17", "CL-20"} <= flagged
    assert not {"CL-00", "CL-21", "CL-08", "MK-05"} & flagged
    diagnostic = use_case_diagnostic(use_case_id=claims["CL-19"].pk)
    lines = {line.key: line.colour for line in diagnostic.lines}
    assert lines["outcome_ownership"] == "green"

    client.force_login(admin)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200 and b"Claims" in dashboard.content

    records = TransitionRecord.objects.filter(use_case=claims["CL-04"])
    assert [r.transition for r in records] == [
        "submit", "advance_to_pilot", "hold", "resume", "advance_to_scale",
    ]  # fmt: skip
    assert {(r.kind, r.source_file, r.actor_id, r.authorisation_id) for r in records} == {
        ("imported", "ai-inventory-2024.xlsx", admin.pk, None)
    }

    again = inventory_import(
        actor=admin, content=inventory, filename="ai-inventory-2024.xlsx", dry_run=False
    )
    assert again["errors"] == [] and again["refused"] == []
    assert {c["created"] + c["changed"] for c in again["counts"].values()} == {0}
    assert TransitionRecord.objects.count() == records.model.objects.count()
