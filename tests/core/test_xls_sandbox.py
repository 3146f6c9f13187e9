""".xls files are read in a child process with a memory limit: what calamine reads, or a refusal, and never
an abort of the process that asked."""

import datetime as dt
import io

import pytest
import xlwt
from python_calamine import CalamineWorkbook

from sportsrun.core.errors import SheetInvalid
from sportsrun.core.spreadsheets import reader as spreadsheets
from tests.timing import hostile


def test_cells_come_back_as_calamine_reads_them_in_process():
    book = xlwt.Workbook()
    sheet = book.add_sheet("النتائج")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    clock = xlwt.easyxf(num_format_str="hh:mm:ss")
    rows = [["رقم الصدرية", "الاسم", "الوقت", "Finished", "Start"], [103, "علي حسن", 0.0281, True, None]]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write(1, 4, dt.datetime(2026, 3, 21, 7, 30), dates)
    sheet.write(2, 2, dt.time(0, 42, 7), clock)
    sheet.write(3, 1, 2401.5)
    out = io.BytesIO()
    book.save(out)
    content = out.getvalue()

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    expected = sheet.to_python(skip_empty_area=False)
    read = spreadsheets.read_table(content, clean=False).rows
    assert read == expected
    assert read[0][0] == "رقم الصدرية" and read[1][4] == dt.datetime(2026, 3, 21, 7, 30) and read[3][1] == 2401.5
    assert any(isinstance(v, dt.time | dt.timedelta) for v in read[2])


@pytest.mark.parametrize("build", [hostile.xls_far_cell, hostile.xls_dimensions], ids=["far cell", "dimensions"])
def test_refused_in_a_process_allowed_512_mb(tmp_path, build):
    """The child inherits the parent's limit: calamine runs out of memory there, and the parent carries on."""
    assert "too large" in hostile.read_in_512_mb(build(), tmp_path)


def test_a_damaged_xls_is_refused_as_damaged():
    content = bytearray(hostile.xls([(0, 0, "Bib"), (1, 0, 1)]))
    content[600:3000] = b"\xff" * 2400  # the directory and the start of the Workbook stream
    with pytest.raises(SheetInvalid) as refused:
        spreadsheets.read_table(bytes(content))
    assert "damaged" in refused.value.detail
