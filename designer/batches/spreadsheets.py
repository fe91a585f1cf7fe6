"""A spreadsheet of rows for a batch, read by what its bytes are (never its name): a CSV (UTF-8,
or Windows-1252 as Excel saves it; comma, semicolon or tab between values) or an XLSX workbook
(its first sheet). The first row names the columns; each row after it is a row of values, numbered
from 1 (a sheet's row 2) and kept with its number, so a blank row skipped does not renumber the
rest. Anything else (a ZIP that is no workbook, a binary file, an old .xls) is refused by name.

Limits: the bytes (BATCH_MAX_SPREADSHEET_BYTES, checked by the caller), the rows (`max_rows`), the
columns (MAX_COLUMNS), one value's length (MAX_VALUE_CHARS), and an XLSX's unpacked size
(MAX_XLSX_UNPACKED_BYTES: a ZIP bomb is refused before it is opened).
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from designer.errors import ValidationFailed

FORMATS = ("csv", "xlsx")
MAX_COLUMNS = 100
MAX_VALUE_CHARS = 10_000
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
_FIELD = "file"


@dataclass(frozen=True)
class Table:
    """The rows of a spreadsheet: its format ("csv" or "xlsx"), its columns, and its rows of values
    as (row number, {column: value}) with blank rows left out."""

    format: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(data: bytes, *, max_rows: int) -> Table:
    """The rows of the CSV or XLSX spreadsheet `data`.

    Raises ValidationFailed naming `file` for anything but a CSV or an XLSX workbook, one without
    a header row, with a column named twice, more than MAX_COLUMNS columns or `max_rows` rows, or
    a value longer than MAX_VALUE_CHARS.
    """
    if data.startswith(b"PK\x03\x04"):
        return _table("xlsx", _xlsx_lines(data), max_rows)
    return _table("csv", _csv_lines(data), max_rows)


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(f"Field 'file': {message}", field=_FIELD)


def _csv_lines(data: bytes):
    if b"\x00" in data[:65536]:
        raise _refuse("the file is not a spreadsheet: upload a CSV (text) or an XLSX workbook")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if any(ord(char) < 32 and char not in "\t\r\n" for char in text[:65536]):
        raise _refuse("the file is not a spreadsheet: upload a CSV (text) or an XLSX workbook")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise _refuse(f"the CSV cannot be read ({error})") from None


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook  # imported when a workbook comes: it is large

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise _refuse("the file is a damaged ZIP archive, not an XLSX workbook") from None
    if "xl/workbook.xml" not in names:
        raise _refuse("the file is a ZIP archive but not an XLSX workbook: upload a CSV or an XLSX")
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _refuse(f"the workbook unpacks to more than {MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # whatever openpyxl meets in a damaged or hostile workbook
        raise _refuse(f"the workbook cannot be read ({error})") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise _refuse("the workbook has no sheet")
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _table(format: str, lines, max_rows: int) -> Table:
    header = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(lines):
        if header is None:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines above the header
            header = _header(cells)
            first = number
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == max_rows:
            raise _refuse(f"the spreadsheet has more than {max_rows} rows; split it into several batches")
        values = {}
        for index, cell in enumerate(cells):
            if len(cell) > MAX_VALUE_CHARS:
                where = f"row {number - first}, column {index + 1}"
                raise _refuse(f"{where}: a value is longer than {MAX_VALUE_CHARS} characters")
            column = header[index] if index < len(header) else ""
            if column or cell.strip():
                values[column or f"column {index + 1}"] = cell
        rows.append((number - first, values))
    if header is None:
        raise _refuse("the spreadsheet is empty: its first row names the columns, then a row per design")
    if not rows:
        raise _refuse("the spreadsheet has a header but no rows of values")
    return Table(format, [column for column in header if column], rows)


def _header(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    if len(cells) > MAX_COLUMNS:
        raise _refuse(f"the spreadsheet has {len(cells)} columns; at most {MAX_COLUMNS}")
    header = [cell.strip() for cell in cells]
    seen = set()
    for column in header:
        if column and column.casefold() in seen:
            raise _refuse(f"the column '{column}' is named twice in the first row")
        seen.add(column.casefold())
    return header
