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


def followed(xml: bytes) -> tuple[int, int] | None:
    """(rows, columns) the cells reach as calamine places them: a row at its `r` or after the row before,
    a cell at its `r` or just right of the cell before in its row; empty cells counted too. None when a
    row or cell is written in a way not followed here (the sheet is then refused as damaged)."""
    height = width = 0
    row = column = -1
    elements = 0
    for match in _ELEMENT.finditer(xml):
        elements += 1
        name, attributes = match.groups()
        references = list(_R.finditer(attributes))
        if len(references) > 1:
            return None  # calamine takes the last, and such XML is broken anyway
        reference = references[0] if references else None
        letters = digits = b""
        if reference is not None:
            position = _POSITION.fullmatch(reference[1] if reference[1] is not None else reference[2])
            if position is None:
                return None
            letters, digits = position.groups()
        if name == b"row":
            if letters:
                return None
            row, column = (int(digits) - 1 if digits else row + 1), -1
            continue
        if reference is None:
            column += 1
            height = max(height, row + 1, 1)
        elif letters and digits:
            column = _column(letters) - 1
            height = max(height, int(digits))
        else:
            return None
        width = max(width, column + 1)
    if elements != len(_START.findall(xml)):
        return None
    return height, width
