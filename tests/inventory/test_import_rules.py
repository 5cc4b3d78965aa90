"""The import goes through the same rules: dry run first, whole file or nothing, idempotent,
locked goalposts reported, imported history recorded as imported, gates after the import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.errors import UnauthorisedForwardMove
from core.models import AppendOnlyError
from inventory.services import inventory_import
from portfolio.choices import RecordKind
from portfolio.models import (
    DataGap,
    Metric,
    MetricReading,
    TransitionRecord,
    UseCase,
)
from portfolio.services import (
    ImportedHistory,
    ImportedMove,
    transition_import,
    use_case_advance,
    use_case_hold,
)
from tests.support.inventory import FILE, GAP, METRIC, READING, TECHNICAL, USE_CASE, csv_file


def run(actor, rows, *, dry_run=False, filename="inventory.csv", **options):
    return inventory_import(
        actor=actor, content=csv_file(rows), filename=filename, dry_run=dry_run, options=options
    )


def test_the_dry_run_shows_mapping_and_outcomes_and_writes_nothing(importer, claims):
    report = run(importer, FILE, dry_run=True)
    assert report["dry_run"] and not report["applied"]
    assert {m["column"]: m["field"] for m in report["mapping"]}["Data existing"] == "data_existing"
    assert [(r["row"], r["record"], r["status"]) for r in report["rows"]] == [
        (2, "use case", "created"), (3, "metric", "created"), (4, "metric", "created"),
        (5, "reading", "created"), (6, "data gap", "created"),
    ]  # fmt: skip
    assert not UseCase.objects.exists() and not TransitionRecord.objects.exists()


def test_one_bad_row_and_nothing_is_written(importer, claims):
    bad = {**READING, "Measured on": "2024-04-31"}
    report = run(importer, [*FILE[:3], bad, GAP])
    assert not report["applied"]
    assert [(e["row"], e["column"], e["reference"]) for e in report["errors"]] == [
        (5, "Measured on", "INV-1")
    ]
    assert "not a calendar date" in report["errors"][0]["message"]
    assert not UseCase.objects.exists() and not Metric.objects.exists()


def test_the_same_file_twice_changes_nothing(importer, claims):
    assert run(importer, FILE)["applied"]
    counts = {
        model: model.objects.count()
        for model in (UseCase, Metric, MetricReading, DataGap, TransitionRecord)
    }
    again = run(importer, FILE)
    assert again["applied"] and again["refused"] == []
    assert {r["status"] for r in again["rows"]} == {"unchanged"}
    assert counts == {model: model.objects.count() for model in counts}


def test_imported_history_is_recorded_as_imported_never_as_a_gate(importer, claims):
    run(importer, FILE, filename="portfolio-2024.csv")
    use_case = UseCase.objects.get()
    records = list(use_case.transitions.all())
    assert [(r.transition, r.at.date().isoformat()) for r in records] == [
        ("submit", "2024-01-15"), ("advance_to_pilot", "2024-03-01")
    ]  # fmt: skip
    assert {(r.kind, r.source_file, r.actor, r.authorisation_id) for r in records} == {
        (RecordKind.IMPORTED, "portfolio-2024.csv", importer, None)
    }
    assert use_case.state == "pilot" and use_case.submitted_at.date().isoformat() == "2024-01-15"
    assert use_case.metrics_locked_at == records[1].at  # G0 locked the goalposts then
    with pytest.raises(AppendOnlyError):
        records[0].delete()
    # From the import on, forward moves go through gates as always.
    with pytest.raises(UnauthorisedForwardMove):
        use_case_advance(use_case=use_case, authorisation=None, actor=importer)


def test_the_database_refuses_imported_history_that_claims_a_decision(importer, claims):
    run(importer, FILE)
    use_case = UseCase.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        TransitionRecord.objects.create(
            use_case=use_case, transition="hold", from_state="pilot", to_state="on_hold",
            kind=RecordKind.IMPORTED, source_file="x.csv", authorisation_type_id=1,
            authorisation_id=1,
        )  # fmt: skip


def test_a_changed_row_updates_what_the_rules_allow_and_reports_the_rest(importer, claims):
    run(importer, FILE)
    changed = {**USE_CASE, "Title": "Claims triage v2", "Data existing": "Four years of claims"}
    report = run(importer, [changed])
    use_case = UseCase.objects.get()
    assert use_case.data_existing == "Four years of claims"  # a living field
    assert use_case.title == "Claims triage"  # intake is a draft's to change
    assert [(f["row"], f["column"], f["code"]) for f in report["refused"]] == [
        (2, "Title", "field_locked")
    ]
    assert report["rows"][0]["changes"] == {
        "data_existing": ["Three years of claims", "Four years of claims"]
    }


def test_a_draft_changes_its_whole_intake(importer, claims):
    draft = {k: v for k, v in USE_CASE.items() if k not in ("Submitted", "Pilot")}
    run(importer, [draft])
    run(importer, [{**draft, "Title": "Renamed"}])
    assert UseCase.objects.get().title == "Renamed"


def test_a_locked_goalpost_is_reported_not_changed(importer, claims):
    run(importer, FILE)
    moved = {**METRIC, "Baseline": "40", "Target": "25"}
    new_business = {**METRIC, "Metric": "Complaints", "Unit": "count"}
    retuned = {**TECHNICAL, "Unit": "percent"}
    report = run(importer, [moved, new_business, retuned])
    metric = Metric.objects.get(name="Handling time")
    assert (metric.baseline, metric.target) == (Decimal("42"), Decimal("30"))
    assert sorted((f["row"], f["column"], f["code"]) for f in report["refused"]) == [
        (2, "Baseline", "metric_locked"),
        (2, "Target", "metric_locked"),
        (3, "Metric", "metric_locked"),
    ]
    assert not Metric.objects.filter(name="Complaints").exists()
    assert Metric.objects.get(name="Accuracy").unit == "percent"  # technical: not a goalpost


def test_a_goalpost_before_g0_changes(importer, claims):
    submitted = {**USE_CASE, "Pilot": ""}
    run(importer, [submitted, METRIC])
    report = run(importer, [submitted, {**METRIC, "Baseline": "40"}])
    assert report["refused"] == []
    assert Metric.objects.get().baseline == Decimal("40")


def test_pairing_is_required_of_technical_metrics(importer, claims):
    report = run(
        importer,
        [
            USE_CASE,
            {**TECHNICAL, "Paired with": ""},
            {**TECHNICAL, "Metric": "Usage", "Paired with": "Nope"},
        ],
    )
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "Paired with", "unpaired"),
        (4, "Paired with", "unpaired"),
    ]


def test_readings_are_never_edited_and_new_ones_are_added(importer, claims):
    run(importer, FILE)
    report = run(
        importer,
        [{**READING, "Value": "38"}, {**READING, "Measured on": "2024-05-31", "Value": "37"}],
    )
    assert [(f["row"], f["code"]) for f in report["refused"]] == [(2, "reading_kept")]
    assert sorted(MetricReading.objects.values_list("value", flat=True)) == [
        Decimal("37"),
        Decimal("39.5"),
    ]


def test_references_that_match_nothing_are_errors(importer, claims):
    report = run(importer, [{**METRIC, "Reference": "GHOST"}, {**READING, "Metric": "Unknown"}])
    assert [(e["row"], e["code"]) for e in report["errors"]] == [
        (2, "unknown_reference"),
        (3, "unknown_metric"),
    ]


def test_later_stage_dates_are_appended_while_the_history_is_all_imported(importer, claims):
    run(importer, [USE_CASE])
    report = run(importer, [{**USE_CASE, "Scale": "2024-07-01"}])
    assert report["rows"][0]["changes"] == {"history": ["Advance to scale (G1) 2024-07-01"]}
    use_case = UseCase.objects.get()
    assert use_case.state == "scale"
    assert use_case.transitions.filter(kind=RecordKind.IMPORTED).count() == 3


def test_a_file_that_contradicts_the_record_is_reported_and_the_record_kept(importer, claims):
    run(importer, [USE_CASE])
    report = run(importer, [{**USE_CASE, "Pilot": "2024-03-02", "Scale": "2024-07-01"}])
    assert [(f["column"], f["code"]) for f in report["refused"]] == [("Pilot", "history_differs")]
    assert UseCase.objects.get().state == "pilot"


def test_once_a_use_case_moves_in_flywheel_its_next_moves_go_through_gates(
    importer, claims, django_capture_on_commit_callbacks
):
    run(importer, [USE_CASE])
    use_case = UseCase.objects.get()
    use_case_hold(use_case=use_case, actor=importer, reason="Budget review")
    report = run(importer, [{**USE_CASE, "Scale": "2024-07-01"}])
    assert [(f["column"], f["code"]) for f in report["refused"]] == [
        ("Scale", "moves_through_gates")
    ]
    assert UseCase.objects.get().state == "on_hold"


def test_transition_import_refuses_an_impossible_history(claims, importer):
    use_case = UseCase(title="T", department=claims)
    from datetime import UTC, datetime

    with pytest.raises(ValidationError, match="cannot follow"):
        transition_import(
            histories=[
                ImportedHistory(
                    use_case, [ImportedMove("advance_to_scale", datetime(2024, 1, 1, tzinfo=UTC))]
                )
            ],
            actor=importer,
            source_file="x.csv",
        )
    with pytest.raises(ValidationError, match="source file"):
        transition_import(histories=[], actor=importer, source_file=" ")


def _file_of(count: int, start: int = 0) -> list[dict]:
    rows = []
    for i in range(start, start + count):
        ref = f"Q-{i}"
        rows += [{**row, "Reference": ref} for row in FILE]
    return rows


def _queries(run_import) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_import()
    return len(captured)


def test_dry_run_and_import_queries_do_not_grow_with_the_rows(importer, claims):
    # 20 use cases still fit one bulk INSERT on SQLite (999 parameters); more take batches.
    small, large = _file_of(5), _file_of(20, start=5)
    run(importer, _file_of(1, start=100), dry_run=True)  # the importer's roles, read once
    assert _queries(lambda: run(importer, small, dry_run=True)) == _queries(
        lambda: run(importer, large, dry_run=True)
    )
    assert _queries(lambda: run(importer, small)) == _queries(lambda: run(importer, large))
    # Re-importing known use cases reads their records, metrics and readings in bulk too.
    assert _queries(lambda: run(importer, small, dry_run=True)) == _queries(
        lambda: run(importer, large, dry_run=True)
    )


def test_cells_beyond_the_models_limits_are_row_errors_not_crashes(importer, claims):
    rows = [
        {**USE_CASE, "Reference": "R" * 65},
        USE_CASE,
        METRIC,
        {**READING, "Note": "n" * 241},
        {**READING, "Measured on": "2024-05-31", "Value": "12345678901234567890"},
        {**METRIC, "Metric": "m" * 121},
    ]
    report = run(importer, rows)
    assert sorted((e["row"], e["column"]) for e in report["errors"]) == [
        (2, "Reference"),
        (5, "Note"),
        (6, "Value"),
        (7, "Metric"),
    ]
    assert not UseCase.objects.exists()


def test_a_reference_taken_between_the_check_and_the_write_imports_nothing(importer, claims):
    def someone_else_imports(stage, done, total):
        if stage == "checking use cases":
            UseCase.objects.create(title="Theirs", department=claims, external_reference="INV-2")

    rows = [USE_CASE, {**USE_CASE, "Reference": "INV-2"}]
    report = inventory_import(
        actor=importer, content=csv_file(rows), filename="race.csv", dry_run=False,
        progress=someone_else_imports,
    )  # fmt: skip
    assert not report["applied"]
    assert report["errors"][-1]["code"] == "concurrent_import"
    assert list(UseCase.objects.values_list("title", flat=True)) == ["Theirs"]


def test_several_holds_and_resumes_in_one_cell(importer, claims):
    row = {**USE_CASE, "Held": "2024-04-01; 2024-06-01", "Resumed": "2024-04-10\n2024-06-05"}
    assert run(importer, [row])["applied"]
    assert list(UseCase.objects.get().transitions.values_list("transition", flat=True)) == [
        "submit", "advance_to_pilot", "hold", "resume", "hold", "resume",
    ]  # fmt: skip


def test_a_template_is_named_by_reference_in_the_file_or_in_flywheel(importer, claims):
    reuse = {**USE_CASE, "Reference": "INV-2", "Template": "INV-1"}
    assert run(importer, [reuse, USE_CASE])["applied"]
    assert UseCase.objects.get(external_reference="INV-2").template.external_reference == "INV-1"
    later = {**USE_CASE, "Reference": "INV-3", "Template": "INV-2"}
    assert run(importer, [later])["applied"]
    assert UseCase.objects.get(external_reference="INV-3").template.external_reference == "INV-2"
    draft = {**USE_CASE, "Reference": "D", "Submitted": "", "Pilot": ""}
    report = run(importer, [
        draft,
        {**USE_CASE, "Reference": "X1", "Template": "X1"},
        {**USE_CASE, "Reference": "X2", "Template": "D"},
        {**USE_CASE, "Reference": "X3", "Template": "NOPE"},
    ])  # fmt: skip
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (3, "Template", "invalid_template"),
        (4, "Template", "invalid_template"),
        (5, "Template", "invalid_template"),
    ]


@pytest.mark.parametrize(
    ("row", "column", "value", "accepted"),
    [
        (USE_CASE, "Build cost", "10000000000", True),  # the bound itself
        (USE_CASE, "Build cost", "10000000001", False),  # one unit beyond
        (USE_CASE, "Build cost", "-1", False),
        (METRIC, "Baseline", "1000000000000", True),
        (METRIC, "Baseline", "1000000000001", False),
        (READING, "Value", "-1000000000001", False),
    ],
)
def test_the_import_holds_the_bounds_of_every_interface(
    importer, claims, row, column, value, accepted
):
    rows = [{**r, column: value} if r is row else r for r in FILE]
    report = run(importer, rows)
    assert report["applied"] is accepted
    if not accepted:
        assert [e["column"] for e in report["errors"]] == [column]
