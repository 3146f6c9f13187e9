"""How far an OpenDocument spreadsheet's content reaches, worked out from content.xml without expanding it.

calamine expands `number-rows-repeated` and `number-columns-repeated` up to the last cell holding
something and allocates every cell of that rectangle: a 1.4 KB .ods with a value after 50,000 repeated
rows and 1,000 repeated columns aborts the process. LibreOffice itself writes huge repeats for the empty
rows and columns after the data, which are harmless, so what matters is where the last non-empty cell
lies. Every table counts: calamine reads them all when it opens the file."""

import re

_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_REPEAT = re.compile(rb"number-(?:rows|columns)-repeated\s*=\s*[\"'](\d+)")


def _repeat(attributes: bytes) -> int:
    found = _REPEAT.search(attributes)
    return max(int(found.group(1)), 1) if found else 1


def extent(content: bytes) -> tuple[int, int]:
    """(rows, columns) of the rectangle from A1 to the furthest cell that is not empty, over all tables.
    A cell counts as not empty unless it is written self-closed (`<table:table-cell .../>`), which is how
    empty cells are written; anything else is taken as content, to be safe."""
    rows = columns = 0
    row = column = row_repeat = 0
    row_has_content = False
    for match in _TAG.finditer(content):
        closing, name, attributes, empty = match.groups()
        if name == b"table":
            if not closing:
                row = 0
        elif name == b"table-row":
            if closing:
                if row_has_content:
                    rows = max(rows, row + row_repeat)
                row += row_repeat
            elif empty:
                row += _repeat(attributes)
            else:
                row_repeat, column, row_has_content = _repeat(attributes), 0, False
        elif not closing:
            column += _repeat(attributes)
            if not empty:
                columns, row_has_content = max(columns, column), True
    return rows, columns
