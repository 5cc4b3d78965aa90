"""The lesson a killed or retired use case records, read from its row (PRODUCT.md, "Failure
stories shared": the import is one more way in, held to the same rule)."""

from django.utils.translation import gettext as _

from inventory.cells import CellError, is_blank, parse_choice, text
from inventory.plan import Plan, Row
from portfolio.choices import LessonCause
from portfolio.services import LessonInput, lesson_problems

# The row's column for each of the lesson's fields.
COLUMNS = {"lesson": "lesson", "cause": "lesson_cause", "reusable": "lesson_reusable"}
STOPS = {"killed": "kill", "retired": "retirement"}


def file_lesson(plan: Plan, row: Row, stop_keys: set[str]) -> tuple[bool, LessonInput | None]:
    """(ok, lesson) of a row whose moves include a kill or a retirement (``stop_keys``, the
    stage columns it fills); each field missing or wrong is one error at its column."""
    stops = [STOPS[key] for key in STOPS if key in stop_keys]
    if not stops:
        filled = [key for key in COLUMNS.values() if row.has(key) and not is_blank(row.get(key))]
        for key in filled:
            plan.error(
                row.number,
                key,
                _(
                    "A lesson is recorded when a use case is killed or retired: give the "
                    "date it stopped, or leave the lesson out."
                ),
                code="lesson_without_stop",
                reference=row.reference,
            )
        return not filled, None
    cells, unreadable = {}, set()
    for field, key in COLUMNS.items():
        value = row.get(key) if row.has(key) else ""
        try:
            cells[field] = (
                parse_choice(value, LessonCause) if field == "cause" else text(value) or ""
            )
        except CellError as exc:
            plan.error(row.number, key, str(exc), reference=row.reference)
            cells[field] = ""
            unreadable.add(field)
    lesson = LessonInput(cells["lesson"], cells["cause"], cells["reusable"])
    ok = not unreadable
    for field, messages in lesson_problems(lesson, stop=stops[0]).items():
        if field in unreadable:  # said once, by the cell's own error
            continue
        plan.error(
            row.number,
            COLUMNS[field],
            " ".join(messages),
            code="required" if not cells[field] else "invalid",
            reference=row.reference,
        )
        ok = False
    return ok, lesson if ok else None


def lesson_cells(lesson) -> dict:
    """The export's lesson columns of a stopped use case (empty without a lesson)."""
    if lesson is None:
        return {}
    return {
        "lesson": lesson.learned,
        "lesson_cause": lesson.cause,
        "lesson_reusable": lesson.reusable,
    }
