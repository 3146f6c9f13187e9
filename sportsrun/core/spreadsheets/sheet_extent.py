"""How far an .xlsx worksheet's cells reach, read from its XML before calamine sees it.

calamine allocates a cell for every position between the first cell it reads and the last
(tafia/calamine#693), some 40 bytes each once in Python: a few kilobytes naming cells A1 and GR200001,
or 200,000 empty rows before a row of 200 cells written without references, took 1.6 GB and 7 s. The
sheet's reach is therefore bounded before it is parsed.

Every spreadsheet program writes each cell as `<c r="B12" …>`. While the sheet is inflated, `placed`
looks for cells written otherwise, and the far-reference scan (in `spreadsheets`) for six-digit rows,
two-letter columns and unusual spellings; a sheet with none of them cannot reach past row 99,999 or
column Z, and is not measured. The others are measured here: from their references alone when every
cell has one, or by following rows and cells the way calamine places them."""

import re

# A cell without a reference right after its name (placed after the one before), or a cell element with
# a namespace prefix (calamine reads `<x:c>` as a cell): the sheet's reach depends on where rows start.
_PLACED = re.compile(rb'<c(?:>|/>|\s(?!r="))')
_PREFIXED = re.compile(rb":c[\s/>]")

# Any reference to a cell, however spelt (a superset: attributes of other elements may match too).
_REFERENCE = re.compile(rb"""(?<=[\s"'])r\s*=\s*["']\s*([A-Za-z]+)\s*(\d+)""")

# Row and cell start tags with their attributes as XML writes them (values may hold ">" or "/").
_NAME = rb"""<(?:[^\s<>/:!?="']+:)?(row|c)"""
_ELEMENT = re.compile(_NAME + rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*/?>""")
_START = re.compile(_NAME + rb"(?=[\s/>])")
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_POSITION = re.compile(rb"\s*([A-Za-z]*)(\d*)\s*")
_ROW_NUMBER = re.compile(rb"""(?<=[\s"'])r\s*=\s*["']\s*(\d+)""")


def placed(text: bytes, start: int = 0) -> bool:
    """In a piece of the sheet: a tag cut by the piece's end (`<c r` without its `="`) is not counted; the
    caller checks the piece's end again joined to the next piece."""
    cell = _PLACED.search(text, start)
    if cell is not None and cell.end() + 3 <= len(text):  # room for the `r="` looked for after the space
        return True
    return _PREFIXED.search(text, start) is not None


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def referenced(xml: bytes) -> tuple[int, int]:
    """(rows, columns) the references reach, for a sheet whose every cell has one."""
    pairs = _REFERENCE.findall(xml)
    if not pairs:
        return 0, 0
    rows = max(map(int, {digits for _, digits in pairs}))
    columns = max(map(_column, {letters for letters, _ in pairs}))
    return rows, columns


def followed(xml: bytes) -> tuple[int, int]:
    """(rows, columns) the cells can reach as calamine places them: a row at its `r` or after the row
    before, a cell at its `r` or just right of the cell before in its row; empty cells counted too.

    An element not written as here (calamine is more lenient) may hold an `r` not read here: every
    reference and row number in the part then bounds the reach, as does the longest run of cells in a row
    placed after the farthest reference."""
    height = width = 0
    row = column = -1
    lost_row = lost_cell = False
    rows_seen = in_row = longest_row = 0
    for start in _START.finditer(xml):
        match = _ELEMENT.match(xml, start.start())
        positions = []
        if match is not None:
            for reference in _R.finditer(match[2]):
                position = _POSITION.fullmatch(reference[1] if reference[1] is not None else reference[2])
                positions.append(position.groups() if position is not None else (b"?", b""))
        if start[1] == b"row":
            rows_seen, in_row = rows_seen + 1, 0
            numbers = [int(digits) for letters, digits in positions if digits and not letters]
            lost_row = lost_row or match is None or len(numbers) != len(positions)
            row, column = (max(numbers) - 1 if numbers else row + 1), -1
            continue
        in_row += 1
        longest_row = max(longest_row, in_row)
        cells = [(int(digits), _column(letters)) for letters, digits in positions if digits and letters.isalpha()]
        lost_cell = lost_cell or match is None or len(cells) != len(positions)
        if cells:  # calamine takes the last of two r's: the farthest is taken here
            height = max(height, max(r for r, _ in cells))
            column = max(c for _, c in cells) - 1
        else:
            column += 1
            height = max(height, row + 1, 1)
        width = max(width, column + 1)
    rows, columns = referenced(xml)
    height, width = max(height, rows), max(width, columns)
    if lost_row:  # rows after it may follow any row number in the part
        height = max(height, max(map(int, _ROW_NUMBER.findall(xml)), default=0) + rows_seen)
    if lost_cell:  # cells after it may follow any reference in the part
        width = max(width, columns + longest_row)
    return height, width
