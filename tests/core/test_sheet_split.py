"""A big one-sheet .xlsx is parsed in two halves at once: the cells must be exactly those of one parse."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from sportsrun.core.spreadsheets import limits, sheet_split, zip_checks
from sportsrun.core.spreadsheets import reader as spreadsheets


def whole(data: bytes) -> list[list]:
    return spreadsheets._from_calamine(data)


def halves(data: bytes, monkeypatch) -> list[list] | None:
    monkeypatch.setattr(sheet_split, "SPLIT_FROM", 0)
    checked = zip_checks.check_zip(data)
    assert checked is not None
    return sheet_split.read_split(*checked, fits=limits.fits)


def workbook(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timing_company(sheet) -> None:
    sheet.append(["Bib", "Name", "Gender", "5K", "Chip Time", "Gun Time"])
    for i in range(1, 3001):
        chip = dt.timedelta(seconds=1800 + i * 7 % 3600, milliseconds=i * 37 % 1000)
        sheet.append([i, f"Runner {i}", "F" if i % 2 else "M", chip * 0.3, chip, chip + dt.timedelta(seconds=i % 60)])


def blank_middle(sheet) -> None:
    """The split falls on the first row after 3,000 rows that hold nothing: the halves leave a gap."""
    sheet.cell(row=1, column=1, value="Bib")
    sheet.cell(row=1, column=2, value="Time")
    for i in range(1001, 2001):
        sheet.cell(row=i, column=1, value=i)
        sheet.cell(row=i, column=2, value=2400.5)
    for column in range(1, 151):  # a long row that the middle of the sheet's XML falls in
        sheet.cell(row=2001, column=column, value=column)
    for i in range(5001, 6001):
        sheet.cell(row=i, column=1, value=i)
        sheet.cell(row=i, column=2, value=2400.5)


def narrow_then_wide(sheet) -> None:
    sheet.append(["Bib", "Time"])
    for i in range(2, 1500):
        sheet.append([i, "0:41:00"])
    for i in range(1500, 3000):  # the second half has no column A and one more column at the right
        sheet.cell(row=i, column=2, value="0:42:00")
        sheet.cell(row=i, column=3, value=f"note {i}")


def away_from_a1(sheet) -> None:
    for i in range(5, 3000):
        sheet.cell(row=i, column=3, value=i)
        sheet.cell(row=i, column=4, value=dt.timedelta(minutes=40, seconds=i % 60))


@pytest.mark.parametrize("fill", [timing_company, blank_middle, narrow_then_wide, away_from_a1])
def test_two_halves_read_the_same_cells_as_one_parse(fill, monkeypatch):
    data = workbook(fill)
    split = halves(data, monkeypatch)
    assert split is not None, "the sheet was not split"
    assert split == whole(data)


def test_a_split_after_empty_rows_keeps_every_row_in_its_place(monkeypatch):
    data = workbook(blank_middle)
    monkeypatch.setattr(sheet_split, "SPLIT_FROM", 0)
    parts, sheet = zip_checks.check_zip(data)
    _, middle, _ = sheet_split.split_point(parts[sheet])
    assert parts[sheet][middle:].startswith(b'<row r="5001"')
    rows = sheet_split.read_split(parts, sheet, limits.fits)
    assert rows == whole(data)
    assert rows[5000][:2] == [5001.0, 2400.5] and rows[2001:5000] == [[""] * 150] * 2999


def test_read_table_splits_big_sheets_and_gives_the_same_table(monkeypatch):
    data = workbook(timing_company)
    expected = spreadsheets.read_table(data, clean=False).rows
    calls = []
    real = sheet_split.read_split
    monkeypatch.setattr(sheet_split, "read_split", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(sheet_split, "SPLIT_FROM", 0)
    assert spreadsheets.read_table(data, clean=False).rows == expected
    assert calls


def test_rows_without_numbers_are_not_split():
    xml = b"<worksheet><sheetData>" + b"<row><c><v>1</v></c></row>" * 10 + b"</sheetData></worksheet>"
    assert sheet_split.split_point(xml) is None
    numbered = (
        b"<worksheet><sheetData>"
        + b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 11))
        + b"</sheetData></worksheet>"
    )
    first, middle, end = sheet_split.split_point(numbered)
    assert numbered[middle:].startswith(b'<row r="') and first < middle < end


def test_only_one_sheet_workbooks_of_some_size_are_split():
    big = sheet_split.SPLIT_FROM
    assert sheet_split.worth_splitting({"xl/workbook.xml": 1, "xl/worksheets/sheet1.xml": big}) == (
        "xl/worksheets/sheet1.xml"
    )
    assert sheet_split.worth_splitting({"xl/workbook.xml": 1, "xl/worksheets/sheet1.xml": big - 1}) is None
    two = {"xl/workbook.xml": 1, "xl/worksheets/sheet1.xml": big, "xl/worksheets/sheet2.xml": big}
    assert sheet_split.worth_splitting(two) is None
    assert sheet_split.worth_splitting({"content.xml": big}) is None
    # The other parts are copied into both halves too: a huge sharedStrings.xml is read whole.
    strings = {"xl/workbook.xml": 1, "xl/worksheets/sheet1.xml": big, "xl/sharedStrings.xml": sheet_split.SPLIT_UP_TO}
    assert sheet_split.worth_splitting(strings) is None


@pytest.mark.parametrize(
    "hiding",
    [
        b"<!-- {rows}</sheetData> -->",  # a comment after the rows, holding a row and a second end
        b"<?pi {rows}</sheetData> ?>",
    ],
)
def test_rows_hidden_from_one_parse_are_not_read_by_the_halves(hiding, monkeypatch):
    """A single parse never reads a row inside a comment or a processing instruction; the halves must not
    either, wherever the middle falls."""
    data = workbook(timing_company)
    source = zipfile.ZipFile(io.BytesIO(data))
    hidden = b"".join(b'<row r="%d"><c r="A%d"><v>4242</v></c></row>' % (i, i) for i in range(5000, 60000))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b"</sheetData>" + hiding.replace(b"{rows}", hidden), 1)
            archive.writestr(item, content)
    crafted = out.getvalue()
    monkeypatch.setattr(sheet_split, "SPLIT_FROM", 0)
    rows = spreadsheets.read_table(crafted, clean=False).rows
    assert rows == whole(crafted) and len(rows) == 3001
