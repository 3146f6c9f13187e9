"""Reading one big .xlsx worksheet on two cores.

python-calamine parses a sheet without holding the GIL, but on one thread. A timing company's 50,000-row
sheet is split at a row boundary in the middle into two workbooks, both parsed at once, and the rows put
back together: a third less time on this project's two-core server. Row numbers come from the rows' own
`r` attributes, so the second half keeps its place in the sheet.

Used only where the split is plainly safe: one worksheet, explicit row numbers, a size worth the copies.
Anything unexpected falls back to the ordinary single parse, which gives the same cells."""

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor, wait

from python_calamine import CalamineWorkbook

SPLIT_FROM = 4 << 20  # inflated sheet bytes: below this one parse is as quick as the split's copies
SPLIT_UP_TO = 64 << 20  # above this the copies (about three times the sheet) cost too much memory

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sheet-half")

Rows = list[list[object]]


def worth_splitting(parts: dict[str, int]) -> str | None:
    """The worksheet's part name if the workbook (part name → inflated size) is one a split helps."""
    sheets = [name for name in parts if name.startswith("xl/worksheets/") and name.endswith(".xml")]
    if len(sheets) != 1 or "xl/workbook.xml" not in parts:
        return None
    return sheets[0] if SPLIT_FROM <= parts[sheets[0]] <= SPLIT_UP_TO else None


def split_point(xml: bytes) -> tuple[int, int, int] | None:
    """(first row, middle row, end of the rows) offsets, or None when the sheet is not laid out as
    expected: rows with a namespace prefix, or a middle row without its `r` number."""
    first = xml.find(b"<row ")
    end = xml.rfind(b"</sheetData>")
    if first == -1 or end == -1:
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


def _parse(data: bytes, skip_empty_area: bool) -> tuple[tuple[int, int] | None, Rows]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    return sheet.start, sheet.to_python(skip_empty_area=skip_empty_area)


def read_split(parts: dict[str, bytes], sheet: str) -> Rows | None:
    """The sheet's cells as `to_python(skip_empty_area=False)` gives them, or None to read it whole."""
    xml = parts[sheet]
    found = split_point(xml)
    if found is None:
        return None
    first, middle, end = found
    view = memoryview(xml)
    head = _workbook(parts, sheet, (view[:middle], view[end:]))
    tail = _workbook(parts, sheet, (view[:first], view[middle:]))
    later = _pool.submit(_parse, tail, True)
    try:
        _, rows = _parse(head, False)
        start, rest = later.result()
    except Exception:  # calamine's own error types: the whole sheet is read again, which says what is wrong
        wait([later])
        return None
    if not rest:
        return rows
    if start is None or start[0] < len(rows):
        return None
    width = max(len(rows[0]) if rows else 0, start[1] + len(rest[0]))
    if start[1]:
        rest = [[""] * start[1] + row for row in rest]
    if rows and len(rows[0]) < width:
        rows = [row + [""] * (width - len(row)) for row in rows]
    if len(rest[0]) < width:
        rest = [row + [""] * (width - len(row)) for row in rest]
    rows.extend([""] * width for _ in range(start[0] - len(rows)))
    rows.extend(rest)
    return rows
