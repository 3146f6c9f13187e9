"""sheet_rows builds a sheet's rows a row at a time: its cells must be exactly calamine's `to_python`, with
and without the empty area above and left of the first cell, for sheets of every shape."""

import datetime as dt
import io
import random

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sportsrun.core.spreadsheets.sheet_rows import sheet_rows

pytestmark = pytest.mark.pure


def parsed(cells: dict[str, object]):
    book = openpyxl.Workbook()
    for at, value in cells.items():
        book.active[at] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0)


SHAPES = {
    "empty": {},
    "one cell at A1": {"A1": "Bib"},
    "one cell away from A1": {"D7": 12},
    "from A1": {"A1": "Bib", "B1": "Time", "A2": 1, "B2": dt.timedelta(minutes=31, seconds=5), "C4": "x"},
    "below the top": {"A3": "Bib", "B3": "Gun", "A4": 7},
    "right of the left": {"C1": "Bib", "D1": "Gun", "C2": 7, "E5": 2.5},
    "down and right, with holes": {"C5": "Bib", "D5": "Time", "C6": 1, "D7": "x", "F9": 2.5, "C12": True},
    "mixed values": {"B2": "محمد", "C2": dt.datetime(2027, 3, 20, 7, 0), "D2": dt.date(1990, 7, 1), "B3": 0.5,
                     "C3": False, "D3": "", "E4": -3},
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("skip_empty_area", [False, True])
def test_the_cells_are_to_pythons(shape: str, skip_empty_area: bool) -> None:
    sheet = parsed(SHAPES[shape])
    assert sheet_rows(sheet, skip_empty_area=skip_empty_area) == sheet.to_python(skip_empty_area=skip_empty_area)


def test_random_sheets_come_out_as_to_python_gives_them() -> None:
    draw = random.Random(20261205)
    for _ in range(25):
        cells = {}
        top, left = draw.randint(1, 6), draw.randint(1, 5)
        for _ in range(draw.randint(1, 40)):
            row, column = top + draw.randint(0, 30), left + draw.randint(0, 6)
            cells[f"{openpyxl.utils.get_column_letter(column)}{row}"] = draw.choice(
                [draw.randint(-5, 10**6), draw.random(), f"runner {draw.randint(1, 99)}", dt.date(1990, 7, 1)]
            )
        sheet = parsed(cells)
        for skip in (False, True):
            assert sheet_rows(sheet, skip_empty_area=skip) == sheet.to_python(skip_empty_area=skip), cells
