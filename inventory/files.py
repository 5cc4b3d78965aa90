"""From an uploaded file to a table: which format it is, which encoding, which delimiter.

CSV goes through django-import-export's CSV format (tablib); .xlsx is read with openpyxl
keeping formulas as written (the library's XLSX format reads cached values, which hides
a formula whose value the file never stored), so that a formula is reported, not guessed.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import tablib
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE


class InventoryFileError(Exception):
    """The file as a whole cannot be read; ``code`` is stable, the message is for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Table:
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    format: str = "csv"
    encoding: str = ""
    delimiter: str = ","


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
            "The file holds binary data, not text: upload a CSV or an Excel .xlsx file.",
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
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    if not text.strip():
        raise InventoryFileError("The file is empty.", code="empty_file")
    delimiter = _delimiter(text)
    try:
        dataset = CSV(encoding=None).create_dataset(text, delimiter=delimiter)
    except (csv.Error, tablib.InvalidDimensions) as exc:
        raise InventoryFileError(
            f"The CSV cannot be read ({exc}); check that every row has the same columns.",
            code="bad_csv",
        ) from exc
    return Table(
        headers=[str(h or "").strip() for h in dataset.headers or []],
        rows=[list(row) for row in dataset],
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
    )


def _read_xlsx(content: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise InventoryFileError(
            "The Excel file cannot be opened; save it again as .xlsx.", code="bad_xlsx"
        ) from exc
    try:
        sheet = book.active
        rows = sheet.iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            raise InventoryFileError("The file is empty.", code="empty_file")
        width = len(headers)
        body = []
        for row in rows:
            values = list(row[:width]) + [None] * (width - len(row))
            body.append(values)
    finally:
        book.close()
    return Table(
        headers=[str(h).strip() if h is not None else "" for h in headers],
        rows=body,
        format="xlsx",
    )


def read_table(content: bytes, filename: str) -> Table:
    """The header and the rows of a CSV or .xlsx file; trailing empty rows dropped.

    Refuses, with a code: an empty file, an old .xls, any other binary, a file without a
    header row.
    """
    if not content:
        raise InventoryFileError("The file is empty.", code="empty_file")
    extension = PurePath(filename or "").suffix.lower()
    if content.startswith(OLE_MAGIC) or extension == ".xls":
        raise InventoryFileError(
            "Excel 97-2003 (.xls) files are not read: save the sheet as .xlsx or CSV.",
            code="unsupported_type",
        )
    if content.startswith(ZIP_MAGIC):
        if extension not in (".xlsx", ".xlsm", ""):
            raise InventoryFileError(
                f"A '{extension}' file is not a spreadsheet this importer reads: upload CSV "
                "or .xlsx.",
                code="unsupported_type",
            )
        table = _read_xlsx(content)
    elif extension in TEXT_EXTENSIONS:
        table = _read_csv(content)
    else:
        raise InventoryFileError(
            f"A '{extension}' file is not a spreadsheet this importer reads: upload CSV or .xlsx.",
            code="unsupported_type",
        )
    while table.rows and all(v is None or str(v).strip() == "" for v in table.rows[-1]):
        table.rows.pop()
    if not any(table.headers):
        raise InventoryFileError("The first row must hold the column headers.", code="no_header")
    return table


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


def _xlsx_cell(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _stream_xlsx(headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Inventory")
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    with tempfile.TemporaryFile() as file:
        book.save(file)
        file.seek(0)
        while piece := file.read(STREAM_PIECE):
            yield piece
