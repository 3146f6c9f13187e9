"""Writing .xlsx files with openpyxl, safely: text stays text.

openpyxl turns any string starting with "=" into a formula, so a name typed as =HYPERLINK(...) would
run in the organiser's spreadsheet program. Every string cell is written as a string, explicitly.
Written in openpyxl's write-only mode: a start list of 40,000 runners streams out in constant memory."""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Value = str | int | float | bool | dt.date | dt.datetime | None
# What a sheet's title may not hold (Excel's rule, which openpyxl enforces with a ValueError): a race named
# "10 km / 5 km" names its results sheet all the same.
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str) -> str:
    return _NOT_IN_TITLE.sub(" ", title).strip(" '")[:31].strip() or "Sheet"


def xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    rows = list(rows)
    widths = [len(h) for h in headers]
    for values in rows[:500]:  # widths from the first rows are enough
        for column, value in enumerate(values):
            if isinstance(value, str):
                widths[column] = max(widths[column], min(len(value), 40))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in rows:
        out = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = TYPE_STRING  # never a formula, whatever the first character
                out.append(cell)
            elif isinstance(value, dt.datetime):
                out.append(value.replace(tzinfo=None))
            else:
                out.append(value)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
