"""Reading uploaded spreadsheets safely: .xlsx/.xlsm/.ods (zip), .xls (OLE2) through python-calamine,
and .csv in UTF-8 or Windows-1256 with its separator detected.

The format is decided by the file's first bytes, never its name. Zip containers are checked against
their declared sizes and entry count, and their sheets measured, before any reader inflates them
(calamine allocates a sheet's whole rectangle); .xls files are read in a child process with a memory
limit (see `xls_sandbox`). Rows, columns and cells are capped. Formulas are never evaluated: readers
return the values cached in the file."""

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineWorkbook

from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets import sheet_split, xls_sandbox
from sportsrun.core.spreadsheets.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    damaged,
    fits,
    refuse,
    too_large,
)
from sportsrun.core.spreadsheets.sheet_rows import sheet_rows
from sportsrun.core.spreadsheets.zip_checks import check_zip

Cell = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(frozen=True, slots=True)
class Table:
    rows: list[list[Cell]]  # rows[0] is the sheet's row 1
    kind: str


# Formats people upload by mistake, recognised by their first bytes: PDF, PNG, JPEG, GIF, WebP/RIFF, HTML.
NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"<!DOCTYPE html", b"<html")


def sniff_kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    head = data[:4096]
    if head.startswith(NOT_SPREADSHEETS):
        raise refuse(_("This is not a spreadsheet: upload .xlsx, .xls, .ods or .csv."))
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise refuse(_("This is not a spreadsheet: upload .xlsx, .xls, .ods or .csv."))
    return "csv"


def _from_calamine(data: bytes, checked: tuple[dict[str, bytes], str] | None = None) -> list[list[Cell]]:
    try:
        if checked is not None:
            rows = sheet_split.read_split(*checked, fits=fits)
            del checked  # not kept alive through a whole parse
            if rows is not None:
                return rows
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        fits(sheet.height, sheet.width)
        return sheet_rows(sheet, skip_empty_area=False)
    except SheetInvalid:
        raise
    except Exception:  # calamine raises its own error types for every kind of damage
        raise damaged() from None


def _from_xls(data: bytes) -> list[list[Cell]]:
    try:
        return xls_sandbox.read(data, MAX_ROWS + 1, MAX_COLUMNS, MAX_CELLS)
    except xls_sandbox.TooLarge:
        raise too_large() from None
    except xls_sandbox.Damaged:
        raise damaged() from None


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Excel "Save as CSV" on an Arabic Windows writes Windows-1256, which can decode any byte; text in
    # another encoding shows up as mostly non-letters there.
    text = data.decode("cp1256")
    foreign = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in foreign if unicodedata.category(c).startswith("L"))
    if foreign and letters < 0.8 * len(foreign):
        raise refuse(_("The text file's encoding is not UTF-8 or Windows-1256: save it as CSV UTF-8."))
    return text


def _from_csv(data: bytes) -> list[list[Cell]]:
    text = decode_text(data)
    sample = "\n".join(text.splitlines()[:20])
    delimiter = max((",", ";", "\t"), key=sample.count)
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise refuse(_("A cell holds more than {n} characters.", n=MAX_CELL_CHARS)) from None
        if len(rows) > MAX_ROWS:
            raise too_large()
        if len(row) > MAX_COLUMNS:
            raise too_large()
        rows.append(list(row))
    return rows


def read_table(data: bytes, clean: bool = True) -> Table:
    """The first sheet's cells. With `clean`, text is stripped and blank cells are None; without it (the
    timing import, which reads only a few columns of tens of thousands of rows) cells are as read, and
    only the length cap is enforced. Whole numbers come back as floats from calamine: callers normalise."""
    kind = sniff_kind(data)
    if kind == "zip":
        rows = _from_calamine(data, check_zip(data))
    elif kind == "xls":
        rows = _from_xls(data)
    else:
        rows = _from_csv(data)
    for number, row in enumerate(rows, start=1):
        for value in row:
            if value.__class__ is str and len(value) > MAX_CELL_CHARS and len(value.strip()) > MAX_CELL_CHARS:
                raise SheetInvalid(
                    [RowError(number, None, _("A cell holds more than {n} characters.", n=MAX_CELL_CHARS))]
                )
    if not clean:
        return Table(rows=rows, kind=kind)
    cleaned = [[(v.strip() or None) if v.__class__ is str else v for v in row] for row in rows]
    return Table(rows=cleaned, kind=kind)


def is_blank(row: list[Any]) -> bool:
    return row.count(None) + row.count("") == len(row)  # every cell None or "", counted in C
