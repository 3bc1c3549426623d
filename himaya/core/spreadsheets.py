"""The one CSV/XLSX writer and the one reader of the project (DESIGN.md §3b).

Writing neutralises formulas (OWASP "CSV injection"): in CSV, a text cell that begins with
`=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote; in XLSX, cells
holding text are always written as strings, never as formulas. `unneutralise` undoes the prefix, so
that a file exported here and imported back reads exactly what was exported.

Reading streams rows (CSV through `csv.reader`, XLSX through openpyxl's read-only mode) and
stops at a row limit (`IMPORT_MAX_ROWS`), and an XLSX is refused before it is parsed when its
members would inflate beyond `IMPORT_MAX_INFLATED_BYTES` or at an absurd compression ratio
(a "zip bomb"). Every refusal is a `SpreadsheetError` whose message is translated."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

# A text cell beginning with one of these is read as a formula by Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_INFLATED_BYTES = 100 * 2**20
# Deflate reaches about 1000:1 on repeated bytes; real sheets stay well under 100:1.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE_BYTES = 2**20


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message is translated and shown as is."""


# --- neutralising -------------------------------------------------------------------------


def _needs_quote(text: str) -> bool:
    # Values that already begin with quotes before a formula character get one more, so that
    # unneutralise(neutralise(v)) == v for every v.
    return text.lstrip("'").startswith(FORMULA_PREFIXES)


def neutralise(value):
    """The value to write in a cell: text that a spreadsheet would run gets a leading `'`."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise` on a cell read back from a file."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


def _xlsx_text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters cannot be stored in XLSX (openpyxl raises); drop them rather than
    # fail the whole export for everyone because of one bad value. No quote prefix here: the
    # cell is written as a string (never a formula), so "+212 661…" shows as typed.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


# --- writing ------------------------------------------------------------------------------


def write_csv(header: Sequence, rows: Iterable[Sequence], *, delimiter: str = ",") -> bytes:
    """UTF-8 with a BOM (so that Excel reads Arabic and accents), CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class XlsxWriter:
    """A workbook whose `append` neutralises text; the openpyxl sheets stay reachable
    (`sheet.worksheet`) for what the writer does not do itself, such as charts.

    Its sheets read right to left (`sheet_view.rightToLeft`: column A on the right, as Excel
    shows an Arabic workbook) when the active language is written right to left, unless
    `right_to_left` says otherwise."""

    def __init__(self, *, right_to_left: bool | None = None):
        from openpyxl import Workbook

        self.workbook = Workbook()
        self._first = self.workbook.active
        self._used_first = False
        if right_to_left is None:
            right_to_left = translation.get_language_bidi()
        self.right_to_left = right_to_left

    def sheet(self, title: str, header: Sequence | None = None) -> XlsxSheet:
        if not self._used_first:
            worksheet = self._first
            worksheet.title = title[:31]
            self._used_first = True
        else:
            worksheet = self.workbook.create_sheet(title[:31])
        worksheet.sheet_view.rightToLeft = self.right_to_left
        sheet = XlsxSheet(worksheet)
        if header is not None:
            sheet.append(header, bold=True)
        return sheet

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


class XlsxSheet:
    def __init__(self, worksheet):
        self.worksheet = worksheet
        self._next_row = 1

    def append(self, values: Sequence, *, bold: bool = False) -> None:
        from openpyxl.styles import Font

        row = self._next_row
        self._next_row += 1
        for column, value in enumerate(values, start=1):
            cell = self.worksheet.cell(row=row, column=column)
            if isinstance(value, Promise):
                value = str(value)
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                cell.data_type = "s"  # a string, never a formula
            else:
                cell.value = value
            if bold:
                cell.font = Font(bold=True)

    def set_widths(self, widths: Sequence[int]) -> None:
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width

    def fit_widths(self, minimum: int = 12, maximum: int = 60) -> None:
        for column in self.worksheet.columns:
            letter = column[0].column_letter
            self.worksheet.column_dimensions[letter].width = min(
                maximum, max(minimum, *(len(str(c.value or "")) + 2 for c in column))
            )


# --- reading ------------------------------------------------------------------------------


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_inflated_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES))


def _too_many_rows(limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(limit)d rows: split it into several files.") % {"limit": limit}
    )


def _damaged_xlsx() -> SpreadsheetError:
    return SpreadsheetError(_("This XLSX file could not be read: it may be damaged or truncated."))


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" is UTF-16 (little-endian, with a BOM), tab-separated.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                _("This file's text encoding is not recognised: save it as CSV UTF-8 or as XLSX.")
            ) from exc
    # Binary files are full of NUL bytes; a stray one in a text file is refused per cell
    # by the caller's validation instead, naming its row and column.
    sample = data[:4096]
    if sample.count(b"\x00") > max(1, len(sample) // 100):
        raise SpreadsheetError(_("This file is not a CSV or XLSX spreadsheet."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _("This file's text encoding is not recognised: save it as CSV UTF-8 or as XLSX.")
    )


def _csv_rows(text: str) -> Iterator[list[str]]:
    first_line = text[: text.find("\n") if "\n" in text else len(text)]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise SpreadsheetError(_("This CSV file is malformed: %(error)s") % {"error": exc}) from exc


def check_xlsx_size(data: bytes) -> None:
    """Refuse, before any parsing, an XLSX whose members would inflate too much."""
    limit = max_inflated_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged_xlsx() from exc
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limit or (
            member.file_size > RATIO_CHECKED_ABOVE_BYTES and ratio > MAX_COMPRESSION_RATIO
        ):
            raise SpreadsheetError(
                _(
                    "This XLSX file would take more than %(mb)d MB once uncompressed, or is "
                    "compressed in a way real spreadsheets are not: it is refused. Save it again "
                    "from Excel or LibreOffice, or as CSV."
                )
                % {"mb": limit // 2**20}
            )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise _damaged_xlsx() from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise _damaged_xlsx() from exc
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def read_rows(data: bytes, filename: str = "", *, limit: int | None = None) -> Iterator[list[str]]:
    """The rows of the file's first sheet, the header first, as lists of strings, one at a
    time. Raises SpreadsheetError on an unreadable file or after `limit` rows past the header
    (default: the IMPORT_MAX_ROWS setting), without reading further."""
    if not data or not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    limit = max_rows() if limit is None else limit
    name = filename.lower()
    if data[:4] == b"\xd0\xcf\x11\xe0" or name.endswith(".xls"):
        raise SpreadsheetError(
            _("The old Excel format (.xls) is not supported: save the file as .xlsx or CSV.")
        )
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise _damaged_xlsx()
        check_xlsx_size(data)
        rows = _xlsx_rows(data)
    else:
        rows = _csv_rows(_decode(data))
    return _limited(rows, limit)


def _limited(rows: Iterator[list[str]], limit: int) -> Iterator[list[str]]:
    for count, row in enumerate(rows):
        if count > limit:  # count 0 is the header
            close = getattr(rows, "close", None)
            if close:
                close()
            raise _too_many_rows(limit)
        yield row
