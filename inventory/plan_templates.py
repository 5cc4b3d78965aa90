"""The earlier use case a use case reuses as its template, named by its reference.

The template is a use case of the file or of Flywheel, and a submitted one (a draft is not
a template yet). One created by the same file is linked once both exist.
"""

from dataclasses import dataclass

from inventory.cells import is_blank, text
from inventory.plan import Plan, Row, read_cell
from inventory.template import USE_CASE
from portfolio.choices import State


@dataclass(frozen=True)
class TemplateRef:
    """A template created by the same file, linked after the use cases are written."""

    reference: str


def template_references(rows: list[Row]) -> set[str]:
    """The references the file's use cases name as their template (to fetch with the rest)."""
    refs = set()
    for row in rows:
        if row.record == USE_CASE and not is_blank(row.get("template")):
            try:
                refs.add(text(row.get("template")))
            except ValueError:
                continue
    return refs


def submitted_in_file(rows: list[Row]) -> dict[str, bool]:
    """Each use case of the file, and whether the file gives it a submission date."""
    return {
        row.reference: not is_blank(row.get("submitted")) for row in rows if row.record == USE_CASE
    }


def template_value(plan: Plan, row: Row, found, in_file: dict[str, bool]):
    """(ok, value) of a row's Template cell: a use case, a TemplateRef, or None."""
    ok, reference = read_cell(plan, row, "template", text)
    if not ok or not reference:
        return ok, None
    problem, value = None, None
    existing = found.use_cases.get(reference)
    if reference == row.reference:
        problem = "A use case cannot be its own template."
    elif existing is not None:
        value = existing
        if existing.state == State.DRAFT and not in_file.get(reference):
            problem = f"'{reference}' is a draft; a template must be a submitted use case."
    elif reference in in_file:
        value = TemplateRef(reference)
        if not in_file[reference]:
            problem = (
                f"'{reference}' has no Submitted date; a template must be a submitted use case."
            )
    else:
        problem = f"No use case '{reference}' in the file or in Flywheel to reuse as template."
    if problem:
        plan.error(
            row.number, "template", problem, code="invalid_template", reference=row.reference
        )
        return False, None
    return True, value
