"""From an uploaded file to a table: which format it is, which encoding, which delimiter.

A CSV is read with its encoding and delimiter guessed, rows of any width (a title line above
the header has fewer cells); .xlsx is read with openpyxl, every sheet, keeping formulas as
written (cached values hide a formula whose value the file never stored), so that a formula
is reported, not guessed, with merged cells filled and hidden rows and columns noted.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.utils import column_index_from_string

from core.text import printable


class InventoryFileError(Exception):
    """The file as a whole cannot be read; ``code`` is stable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Sheet:
    """One sheet of a workbook as a grid of values, with what the person does not see."""

    name: str
    rows: list[list] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: set = field(default_factory=set)  # 1-based row numbers
    hidden_columns: set = field(default_factory=set)  # 0-based column positions
    group_cells: set = field(default_factory=set)  # (row, column) of a merged cell spanning columns


@dataclass
class Book:
    sheets: list[Sheet]
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ","
    active: int = 0


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ","
    sheet: str = ""
    header_row: int = 1  # 1-based, the spreadsheet's row number
    meta: dict = field(default_factory=dict)

    @property
    def first_row(self) -> int:
        return self.header_row + 1


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv", ""}


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: UTF-8 (with or without BOM), UTF-16 with
    its BOM, else Windows-1252 (Excel's "CSV" on Windows), else Latin-1."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    if b"\x00" in content[:4096]:
        raise InventoryFileError(
            _("The file holds binary data, not text: upload a CSV or an Excel .xlsx file."),
            code="not_text",
        )
    try:
        return content.decode("utf-8-sig"), (
            "utf-8-sig" if content.startswith(b"\xef\xbb\xbf") else "utf-8"
        )
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> str:
    """The delimiter of the widest of the first lines (a title line has none)."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_count = ",", 0
    for candidate in (",", ";", "\t", "|"):
        count = max((line.count(candidate) for line in lines), default=0)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _read_csv(content: bytes) -> Book:
    text, encoding = decode(content)
    if not text.strip():
        raise InventoryFileError(_("The file is empty."), code="empty_file")
    delimiter = _delimiter(text)
    try:
        # Rows of any length: a title row above the header has fewer cells than the table.
        rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise InventoryFileError(
            _("The CSV cannot be read (%(exc)s); check that every row has the same columns.")
            % {"exc": exc},
            code="bad_csv",
        ) from exc
    rows = [[None if value == "" else value for value in row] for row in rows]
    return Book([Sheet("CSV", rows)], format="csv", encoding=encoding, delimiter=delimiter)


def _percent(cell) -> object:
    """A cell formatted as a percentage holds 0.45 for 45 %: read it as the 45 people see."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (cell.number_format or "")
    ):
        return round(value * 100, 10)
    return value


def _grid(sheet) -> Sheet:
    width = sheet.max_column or 0
    rows = []
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row or 0, max_col=width):
        rows.append([_percent(cell) for cell in row])
    group_cells = set()
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                rows[r - 1][c - 1] = value
                if merged.max_col > merged.min_col:
                    group_cells.add((r, c - 1))
    hidden_rows = {n for n, dim in sheet.row_dimensions.items() if dim.hidden}
    hidden_columns = set()
    for letter, dim in sheet.column_dimensions.items():
        if dim.hidden:
            first = dim.min or column_index_from_string(letter)
            last = max(dim.max or first, first)
            hidden_columns.update(range(first - 1, last))
    return Sheet(
        name=sheet.title,
        rows=rows,
        hidden=sheet.sheet_state != "visible",
        hidden_rows=hidden_rows,
        hidden_columns=hidden_columns,
        group_cells=group_cells,
    )


def _read_xlsx(content: bytes) -> Book:
    import openpyxl

    try:
        # Formulas as written: a formula whose value the file never stored is reported,
        # not guessed; merged cells and hidden rows and columns need the full reader.
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise InventoryFileError(
            _("The Excel file cannot be opened; save it again as .xlsx."), code="bad_xlsx"
        ) from exc
    try:
        sheets = [_grid(sheet) for sheet in book.worksheets]
        active = book.worksheets.index(book.active) if book.active in book.worksheets else 0
    finally:
        book.close()
    return Book(sheets, format="xlsx", active=active)


def read_book(content: bytes, filename: str) -> Book:
    """Every sheet of a CSV or .xlsx file as grids.

    Refuses, with a code: an empty file, an old .xls, any other binary.
    """
    if not content:
        raise InventoryFileError(_("The file is empty."), code="empty_file")
    extension = PurePath(filename or "").suffix.lower()
    if content.startswith(OLE_MAGIC) or extension == ".xls":
        raise InventoryFileError(
            _("Excel 97-2003 (.xls) files are not read: save the sheet as .xlsx or CSV."),
            code="unsupported_type",
        )
    if content.startswith(ZIP_MAGIC):
        if extension not in (".xlsx", ".xlsm", ""):
            raise InventoryFileError(
                _(
                    "A '%(extension)s' file is not a spreadsheet this importer reads: "
                    "upload CSV or .xlsx."
                )
                % {"extension": extension},
                code="unsupported_type",
            )
        book = _read_xlsx(content)
    elif extension in TEXT_EXTENSIONS:
        book = _read_csv(content)
    else:
        raise InventoryFileError(
            _(
                "A '%(extension)s' file is not a spreadsheet this importer reads: "
                "upload CSV or .xlsx."
            )
            % {"extension": extension},
            code="unsupported_type",
        )
    if not any(any(not _blank(v) for v in row) for sheet in book.sheets for row in sheet.rows):
        raise InventoryFileError(_("The file is empty."), code="empty_file")
    return book


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def write_table(headers: list[str], rows: list[list], *, file_format: str) -> bytes:
    """The template as a CSV (UTF-8 with BOM, so Excel reads it right) or .xlsx file."""
    dataset = tablib.Dataset(*rows, headers=headers, title="Inventory")
    if file_format == "xlsx":
        return XLSX().export_data(dataset)
    return ("\ufeff" + CSV().export_data(dataset)).encode("utf-8")


# Bytes of CSV gathered before a piece is handed to the response.
STREAM_PIECE = 64 * 1024


def stream_table(headers: list[str], rows: Iterable[list], *, file_format: str) -> Iterator[bytes]:
    """The template written as ``rows`` come: CSV (UTF-8 with BOM, as ``write_table``) in
    pieces, or an .xlsx built row by row (openpyxl write-only) in a temporary file and then
    read out in pieces. Text a spreadsheet file cannot hold (control characters) is dropped
    from the .xlsx cells, so no stored text makes the export fail."""
    if file_format == "xlsx":
        return _stream_xlsx(headers, rows)
    return _stream_csv(headers, rows)


def _stream_csv(headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= STREAM_PIECE:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _stream_xlsx(headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Inventory")
    sheet.append(headers)
    for row in rows:
        sheet.append([printable(value) for value in row])
    with tempfile.TemporaryFile() as file:
        book.save(file)
        file.seek(0)
        while piece := file.read(STREAM_PIECE):
            yield piece
