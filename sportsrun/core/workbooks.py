"""Writing .xlsx files with openpyxl, safely: text stays text.

openpyxl turns any string starting with "=" into a formula, so a name typed as =HYPERLINK(...) would
run in the organiser's spreadsheet program. Every string cell is written as a string, explicitly."""

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Value = str | int | float | bool | dt.date | dt.datetime | None


def xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for values in rows:
        sheet.append([None] * len(headers))
        row = sheet.max_row
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(value, dt.datetime):
                value = value.replace(tzinfo=None)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = TYPE_STRING
                widths[column - 1] = max(widths[column - 1], min(len(value), 40))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width + 2
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
