"""Eight registers shaped like real PMOs' (tests/corpus/registers): each imports into the
records worked out by hand in expected.json, with its ignored cells and errors."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from inventory.services import inventory_import
from portfolio.models import Metric, MetricReading, UseCase
from portfolio.selectors_velocity import department_velocity
from tests.support.inventory import CORPUS, EXPECTED

STAGES = ("submitted", "pilot", "scale", "killed")


def _import(admin, name, *, dry_run, **options):
    return inventory_import(
        actor=admin,
        content=(CORPUS / name).read_bytes(),
        filename=name,
        dry_run=dry_run,
        options={**EXPECTED["registers"][name].get("options", {}), **options},
    )


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def _stages(use_case) -> dict:
    """The date each stage was reached, from the transition record."""
    names = {"submit": "submitted", "advance_to_pilot": "pilot", "advance_to_scale": "scale",
             "kill": "killed"}  # fmt: skip
    return {names[r.transition]: _day(r.at) for r in use_case.transitions.all()
            if r.transition in names}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED["registers"]))
def test_a_register_imports_into_the_records_worked_out_by_hand(
    cast, name, django_capture_on_commit_callbacks
):
    expected = EXPECTED["registers"][name]
    if "dry_run_errors" in expected:
        first = _import(cast, name, dry_run=True, date_orders={})
        assert [(e["row"], e["column"], e["code"]) for e in first["errors"]] == [
            (e["row"], e["column"], e["code"]) for e in expected["dry_run_errors"]
        ]
        readings = [m["date_readings"] for m in first["mapping"] if m["date_readings"]]
        assert readings == [e["readings"] for e in expected["dry_run_errors"]]
    report = _import(cast, name, dry_run=True)
    assert report["sheet"] == expected["sheet"]
    assert report["header_row"] == expected["header_row"]
    assert [r["row"] for r in report["rows_above_header"]] == expected["rows_above_header"]
    assert [(e["row"], e["column"], e["code"], e["reference"]) for e in report["errors"]] == [
        (e["row"], e["column"], e["code"], e["reference"]) for e in expected["errors"]
    ]
    assert all(e["sheet"] == expected["sheet"] for e in report["errors"])
    assert sum(i["cells"] for i in report["ignored"]) == expected["ignored_cells"]
    if "ignored" in expected:
        assert {i["column"]: i["cells"] for i in report["ignored"]} == expected["ignored"]
    placeholders = sum(m["placeholders"] for m in report["mapping"] if m["field"])
    assert placeholders == expected["placeholders"]
    if "hidden_columns" in expected:
        letters = [m["letter"] for m in report["mapping"] if m["hidden"]]
        assert letters == expected["hidden_columns"]
        assert report["hidden_rows"] == expected["hidden_rows"]
    if "other_sheets" in expected:
        assert {s["name"]: s["cells"] for s in report["sheets"] if not s["chosen"]} == (
            expected["other_sheets"]
        )
    if "unmatched_people" in expected:
        assert [p["name"] for p in report["unmatched_people"]] == expected["unmatched_people"]
    with django_capture_on_commit_callbacks(execute=True):
        applied = _import(cast, name, dry_run=False)
    assert applied["applied"] is (not expected["errors"])
    use_cases = {uc.external_reference: uc for uc in UseCase.objects.all()}
    assert set(use_cases) == set(expected["use_cases"])
    for reference, fields in expected["use_cases"].items():
        use_case = use_cases[reference]
        for field, value in fields.items():
            if field in STAGES:
                continue
            if field == "lesson_cause":
                assert use_case.lesson.cause == value, reference
                continue
            actual = getattr(use_case, field)
            if field == "department":
                actual = actual.name
            elif field in ("outcome_owner", "sponsor"):
                actual = actual.username
            elif isinstance(actual, Decimal):
                actual = actual.normalize()
                value = Decimal(value).normalize()
            assert actual == value, (reference, field)
        assert _stages(use_case) == {k: v for k, v in fields.items() if k in STAGES}
        assert use_case.transitions.filter(kind="imported", source_file=name).count() == len(
            [k for k in fields if k in STAGES]
        )
    metrics = [
        {"reference": m.use_case.external_reference, "name": m.name, "kind": m.kind,
         "unit": m.unit, "baseline": _plain(m.baseline), "target": _plain(m.target)}
        for m in Metric.objects.order_by("use_case__external_reference")
    ]  # fmt: skip
    assert metrics == expected["metrics"]
    readings = [
        {"reference": r.metric.use_case.external_reference, "metric": r.metric.name,
         "value": _plain(r.value), "measured": _day(r.measured_at)}
        for r in MetricReading.objects.order_by("metric__use_case__external_reference")
    ]  # fmt: skip
    assert readings == expected["readings"]
    for reference, days in expected["velocity_to_scale"].items():
        sequence = department_velocity(department_id=use_cases[reference].department_id)["sequence"]
        values = {row.use_case.external_reference: row.value for row in sequence}
        assert values[reference] == Decimal(days)
    again = _import(cast, name, dry_run=True)
    if applied["applied"]:
        assert {r["status"] for r in again["rows"]} == {"unchanged"}


def test_the_same_metric_date_rule_holds_for_kpi_columns_locked_at_g0(cast):
    """K-01 went into pilot on 2024-03-01: its goalposts are locked from then on."""
    _import(cast, "03-merged-kpi.xlsx", dry_run=False)
    k01 = UseCase.objects.get(external_reference="K-01")
    assert timezone.localtime(k01.metrics_locked_at).date() == date(2024, 3, 1)
