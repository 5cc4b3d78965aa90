"""Finding the register in a file: which sheet, which row holds the headers.

Pure. Each sheet's first rows are scored by how many of their cells name a known field; the
best row of the best sheet wins (a visible sheet before a hidden one, then the order of the
tabs). Rows above it (a title, a date, blank lines) are skipped and reported. A header cell
under a group header merged across columns ("KPI" over "Baseline | Target") is read with the
group's name in front ("KPI Baseline").
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from inventory.files import Book, InventoryFileError, Sheet, Table, read_book
from inventory.mapping import is_blank
from inventory.template import name_key

SCAN_ROWS = 30
MIN_SCORE = 2


@dataclass(frozen=True)
class Candidate:
    sheet: int
    row: int  # 0-based index in the sheet's grid
    score: int


def headers_of(sheet: Sheet, index: int) -> list[str]:
    """The header cells of row ``index``, with the merged group header above in front."""
    row = sheet.rows[index] if index < len(sheet.rows) else []
    above = sheet.rows[index - 1] if index > 0 else []
    headers = []
    for position, value in enumerate(row):
        header = "" if is_blank(value) else str(value).strip()
        group = above[position] if position < len(above) else None
        # group_cells are (1-based row, 0-based column): this row is index + 1, above is index.
        if header and (index + 1, position) in sheet.group_cells:
            pass  # a header merged across columns is a header, not a group over one
        elif header and not is_blank(group) and (index, position) in sheet.group_cells:
            group_text = str(group).strip()
            if group_text.casefold() not in header.casefold():
                header = f"{group_text} {header}"
        headers.append(header)
    while headers and not headers[-1]:
        headers.pop()
    return headers


def row_score(cells) -> int:
    """How many cells of a row name a field (each field counted once)."""
    keys = set()
    for value in cells:
        if isinstance(value, str) and value.strip() and len(value) < 80:
            key, _unused = name_key(value)
            if key:
                keys.add(key)
    return len(keys)


def candidates(book: Book) -> list[Candidate]:
    """The best header row of each sheet, best first."""
    best = []
    for number, sheet in enumerate(book.sheets):
        top = None
        for index, row in enumerate(sheet.rows[:SCAN_ROWS]):
            score = row_score(row)
            if top is None or score > top.score:
                top = Candidate(number, index, score)
        if top is not None:
            best.append(top)
    return sorted(
        best,
        key=lambda c: (
            -c.score,
            book.sheets[c.sheet].hidden,
            c.sheet != book.active,
            c.sheet,
        ),
    )


def _row_text(row) -> str:
    """A skipped row as text, a value merged across columns said once."""
    values = [str(v).strip() for v in row if not is_blank(v)]
    return " ".join(v for i, v in enumerate(values) if i == 0 or v != values[i - 1])[:120]


def _cells(rows) -> int:
    return sum(1 for row in rows for value in row if not is_blank(value))


def table_of(book: Book, *, sheet=None, header_row=None) -> Table:
    """The register: the chosen (or given) sheet and header row, and what was skipped."""
    ranked = candidates(book)
    if sheet not in (None, ""):
        names = [s.name for s in book.sheets]
        if sheet not in names:
            raise InventoryFileError(
                _("The file has no sheet '%(sheet)s'; its sheets are: %(names)s.")
                % {"sheet": sheet, "names": ", ".join(names)},
                code="unknown_sheet",
            )
        number = names.index(sheet)
        found = [c for c in ranked if c.sheet == number]
        choice = found[0] if found else Candidate(number, 0, 0)
        how_sheet = "chosen"
    elif ranked and ranked[0].score >= MIN_SCORE:
        choice, how_sheet = ranked[0], "found"
    else:
        choice, how_sheet = Candidate(book.active, 0, 0), "first"
    grid = book.sheets[choice.sheet]
    if header_row not in (None, ""):
        index = int(header_row) - 1
        if index < 0 or index >= len(grid.rows):
            raise InventoryFileError(
                _("Sheet '%(name)s' has no row %(header_row)s; it has %(count)s rows.")
                % {"name": grid.name, "header_row": header_row, "count": len(grid.rows)},
                code="unknown_header_row",
            )
        how_row = "chosen"
    else:
        index = choice.row
        # Past blank and title rows: the first row with at least two filled cells.
        if choice.score < MIN_SCORE:
            index = next(
                (i for i, row in enumerate(grid.rows) if sum(not is_blank(v) for v in row) >= 2),
                0,
            )
        how_row = "found" if choice.score >= MIN_SCORE else "first"
    headers = headers_of(grid, index)
    if not any(headers):
        raise InventoryFileError(
            _(
                "Row %(index)s of sheet '%(name)s' holds no column headers; choose the "
                "row that does."
            )
            % {"index": index + 1, "name": grid.name},
            code="no_header",
        )
    body = grid.rows[index + 1 :]
    while body and all(is_blank(v) for v in body[-1]):
        body.pop()
    skipped = [
        {"row": number + 1, "text": _row_text(row)}
        for number, row in enumerate(grid.rows[:index])
        if any(not is_blank(v) for v in row)
    ]
    meta = {
        "sheet": grid.name,
        "sheet_how": how_sheet,
        "header_row": index + 1,
        "header_row_how": how_row,
        "rows_above_header": skipped,
        "sheets": [
            {
                "name": s.name,
                "hidden": s.hidden,
                "header_row": next((c.row + 1 for c in ranked if c.sheet == n), None),
                "score": next((c.score for c in ranked if c.sheet == n), 0),
                "cells": _cells(s.rows),
                "chosen": n == choice.sheet,
            }
            for n, s in enumerate(book.sheets)
        ],
        "hidden_rows": sorted(r for r in grid.hidden_rows if r > index + 1),
        "hidden_columns": sorted(grid.hidden_columns),
    }
    return Table(
        headers=headers,
        rows=body,
        format=book.format,
        encoding=book.encoding,
        delimiter=book.delimiter,
        sheet=grid.name,
        header_row=index + 1,
        meta=meta,
    )


def read_table(content: bytes, filename: str, *, sheet=None, header_row=None) -> Table:
    """The header and the rows of the register in a CSV or .xlsx file: the sheet and header
    row found here unless given; trailing empty rows dropped."""
    return table_of(read_book(content, filename), sheet=sheet, header_row=header_row)
