"""Imported history and lived history give the same velocity: one department walks its use
cases through the lifecycle services, another imports the same dates from a file."""

from datetime import UTC, datetime

from inventory.services import inventory_import
from portfolio.models import Flag, FlagKind, VelocitySnapshot
from portfolio.services.flags import flags_sweep
from portfolio.services.velocity import velocity_recompute
from tests import factories
from tests.support.inventory import csv_file
from tests.support.velocity import walk

# (submitted, pilot, held, resumed, scale, killed) per use case, in submission order.
STORIES = [
    ("2025-01-06", "2025-02-05", "", "", "2025-05-06", ""),
    ("2025-01-20", "2025-02-10", "2025-03-01", "2025-03-11", "2025-06-01", ""),
    ("2025-02-03", "2025-03-20", "", "", "", "2025-04-01"),
    ("2025-02-17", "2025-03-10", "", "", "2025-07-15", ""),
    ("2025-03-03", "2025-03-25", "", "", "", ""),
]


def moment(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def native(department, head):
    for index, (submitted, pilot, held, resumed, scale, killed) in enumerate(STORIES):
        steps = [("submit", moment(submitted)), ("advance", moment(pilot))]
        if held:
            steps += [("hold", moment(held)), ("resume", moment(resumed))]
        if scale:
            steps.append(("advance", moment(scale)))
        if killed:
            steps.append(("kill", moment(killed)))
        walk(factories.UseCaseFactory(department=department, title=f"N{index}"), head, steps)


def imported_file() -> bytes:
    rows = []
    for index, (submitted, pilot, held, resumed, scale, killed) in enumerate(STORIES):
        rows.append({"Reference": f"I{index}", "Title": f"I{index}", "Department": "Imported",
                     "Submitted": submitted, "Pilot": pilot, "Held": held, "Resumed": resumed,
                     "Scale": scale, "Killed": killed,
                     "Kill reason": "no value" if killed else "",
                     "Lesson": "Measure first." if killed else "",
                     "Lesson cause": "value" if killed else ""})  # fmt: skip
    return csv_file(rows)


def figures(department) -> list[tuple]:
    rows = VelocitySnapshot.objects.filter(scope=f"department:{department.pk}").order_by(
        "measure", "position"
    )
    return [
        (r.measure, r.position, r.value, r.hold_days, r.label, r.share_faster, r.streak)
        for r in rows
    ]


def test_imported_history_gives_the_velocity_and_flags_lived_history_gives(importer):
    lived = factories.DepartmentFactory(name="Lived", slug="lived")
    imported = factories.DepartmentFactory(name="Imported", slug="imported")
    native(lived, factories.head_of(lived))
    report = inventory_import(
        actor=importer, content=imported_file(), filename="same.csv", dry_run=False
    )
    assert report["applied"], report["errors"]
    velocity_recompute()
    flags_sweep()

    assert figures(imported) == figures(lived)
    assert len(figures(lived)) > 8  # durations and trends of every measure were compared

    def slower(department):
        return sorted(
            Flag.objects.filter(
                kind=FlagKind.SLOWER_THAN_PREVIOUS, use_case__department=department
            ).values_list("use_case__title", flat=True)
        )

    # Pilot 90, 101 (10 days held), -, 127 days: the second and fourth, now in scale, slower;
    # intake 30, 21, 45, 21, 22 days: the last, still in pilot, slower than the one before.
    assert slower(lived) == ["N1", "N3", "N4"] and slower(imported) == ["I1", "I3", "I4"]
