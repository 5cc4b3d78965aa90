"""The import is one more way in: a killed or retired row records its lesson, or is a row
error at the lesson's columns; a lesson without a stop is an error, never dropped."""

from inventory.services import inventory_import
from portfolio.models import Lesson
from tests.support.inventory import csv_file

STOPPED = {
    "Reference": "K-1",
    "Title": "Stopped",
    "Department": "Claims",
    "Submitted": "2024-01-10",
    "Killed": "2024-02-01",
    "Kill reason": "No data",
}


def run(importer, rows, *, dry_run=True):
    return inventory_import(
        actor=importer, content=csv_file(rows), filename="lessons.csv", dry_run=dry_run
    )


def errors(report):
    return [(e["row"], e["column"], e["code"]) for e in report["errors"]]


def test_a_killed_row_without_a_lesson_is_an_error_at_each_missing_column(importer, claims):
    report = run(importer, [{**STOPPED, "Lesson cause": "budget"}])

    assert errors(report) == [(2, "Lesson cause", "invalid"), (2, "Lesson", "required")]


def test_a_retired_row_without_a_lesson_is_an_error(importer, claims):
    row = {**STOPPED, "Killed": "", "Kill reason": "", "Pilot": "2024-02-01"}
    row.update({"Scale": "2024-03-01", "Retired": "2024-04-01"})

    assert errors(run(importer, [row])) == [
        (2, "Lesson", "required"),
        (2, "Lesson cause", "required"),
    ]


def test_a_lesson_without_a_stop_is_an_error(importer, claims):
    row = {**STOPPED, "Killed": "", "Kill reason": "", "Lesson": "Learned."}

    assert errors(run(importer, [row])) == [(2, "Lesson", "lesson_without_stop")]


def test_a_killed_row_with_its_lesson_records_it_dated_at_the_kill(importer, claims):
    row = {**STOPPED, "Lesson": "Ask first.", "Lesson cause": "Ownership", "Reusable": "Survey"}

    report = run(importer, [row], dry_run=False)

    assert report["applied"], report["errors"]
    lesson = Lesson.objects.get(use_case__external_reference="K-1")
    assert (lesson.learned, lesson.cause, lesson.reusable, lesson.transition) == (
        "Ask first.",
        "ownership",
        "Survey",
        "kill",
    )
    assert lesson.recorded_at.date().isoformat() == "2024-02-01"
