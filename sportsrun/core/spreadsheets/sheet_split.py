"""Reading one big .xlsx worksheet on two cores.

python-calamine parses a sheet without holding the GIL, but on one thread. A timing company's 50,000-row
sheet is split at a row boundary in the middle into two workbooks, both parsed at once, and the rows put
back together: a third less time on this project's two-core server. Row numbers come from the rows' own
`r` attributes, so the second half keeps its place in the sheet.

Used only where the split is plainly safe: one worksheet, explicit row numbers, a size worth the copies.
Anything unexpected falls back to the ordinary single parse, which gives the same cells."""

import io
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from python_calamine import CalamineSheet, CalamineWorkbook

from sportsrun.core.spreadsheets.sheet_rows import Rows, sheet_rows

SPLIT_FROM = 4 << 20  # inflated sheet bytes: below this one parse is as quick as the split's copies
SPLIT_UP_TO = 64 << 20  # all the XML: above this the copies (about three times it) cost too much memory

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sheet-half")


def worth_splitting(parts: dict[str, int]) -> str | None:
    """The worksheet's part name if the workbook (XML part name → inflated size) is one a split helps:
    one sheet big enough, and all its XML small enough to be held and copied twice."""
    sheets = [name for name in parts if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    if len(sheets) != 1 or "xl/workbook.xml" not in parts:
        return None
    return sheets[0] if parts[sheets[0]] >= SPLIT_FROM and sum(parts.values()) <= SPLIT_UP_TO else None


# A sheet written by a spreadsheet program has no comments, CDATA sections or processing instructions
# after its XML declaration; any of them could hide a `<row` or a `</sheetData>` from a single parse while
# a half would read it. None of them is possible without a "!" or a "?", bytes found at memchr speed.
_HIDING = (b"!", b"?")
_ANY_ROW = re.compile(rb"<row[\s>/]")


def split_point(xml: bytes) -> tuple[int, int, int] | None:
    """(first row, middle row, end of the rows) offsets, or None when the sheet is not laid out as
    expected: markup that could hide elements, more than one run of rows, or a middle row without its `r`
    number."""
    declaration = xml.find(b"?>") + 2 if xml[:8].lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
    if any(xml.find(marker, declaration) != -1 for marker in _HIDING):
        return None
    first = xml.find(b"<row ")
    end = xml.find(b"</sheetData>", first)
    if first == -1 or end == -1 or _ANY_ROW.search(xml, end) or b"sheetData" in xml[end + 12 :]:
        return None
    if xml.count(b"<sheetData", 0, first) != 1:
        return None
    middle = xml.find(b"<row ", (first + end) // 2, end)
    if middle <= first:
        return None
    close = xml.find(b">", middle, end)
    if close == -1 or b' r="' not in xml[middle + 4 : close]:
        return None
    return first, middle, end


def _workbook(parts: dict[str, bytes], sheet: str, pieces: tuple[memoryview, ...]) -> bytes:
    """A stored (uncompressed) copy of the workbook whose worksheet is `pieces` joined."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in parts.items():
            if name != sheet:
                archive.writestr(name, content)
        with archive.open(sheet, "w") as stream:
            for piece in pieces:
                stream.write(piece)
    return buffer.getvalue()


def _parse(data: bytes) -> CalamineSheet:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)


def read_split(parts: dict[str, bytes], sheet: str, fits: Callable[[int, int], None]) -> Rows | None:
    """The sheet's cells as `to_python(skip_empty_area=False)` gives them (sheet_rows), or None to read it whole.
    `fits(height, width)` is called with the sheet's size, as calamine measures it, before any cell
    becomes a Python object; it raises to refuse the sheet."""
    xml = parts[sheet]
    found = split_point(xml)
    if found is None:
        return None
    first, middle, end = found
    view = memoryview(xml)
    head = _workbook(parts, sheet, (view[:middle], view[end:]))
    tail = _workbook(parts, sheet, (view[:first], view[middle:]))
    del view
    later = _pool.submit(_parse, tail)
    try:
        upper = _parse(head)
        lower = later.result()
    except Exception:  # calamine's own error types: the whole sheet is read again, which says what is wrong
        wait([later])
        return None
    if lower.start is None:
        return None if upper.start is None else _whole(upper, fits)
    if upper.start is None:
        return _whole(lower, fits)
    if lower.start[0] <= upper.end[0]:  # rows out of order in the XML: let one parse sort them out
        return None
    left, right = min(upper.start[1], lower.start[1]), max(upper.end[1], lower.end[1])
    fits(lower.end[0] - upper.start[0] + 1, right - left + 1)
    rows, rest = sheet_rows(upper, skip_empty_area=False), sheet_rows(lower, skip_empty_area=True)
    width = right + 1
    if lower.start[1]:
        rest = [[""] * lower.start[1] + row for row in rest]
    if len(rows[0]) < width:
        rows = [row + [""] * (width - len(row)) for row in rows]
    if len(rest[0]) < width:
        rest = [row + [""] * (width - len(row)) for row in rest]
    rows.extend([""] * width for _ in range(lower.start[0] - len(rows)))
    rows.extend(rest)
    return rows


def _whole(sheet: CalamineSheet, fits: Callable[[int, int], None]) -> Rows:
    fits(sheet.height, sheet.width)
    return sheet_rows(sheet, skip_empty_area=False)
