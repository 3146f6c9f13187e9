"""A parsed sheet's cells as Python lists, built a row at a time.

calamine parses without holding the GIL, but `to_python` then makes every row in one call that holds it:
70 ms for a 50,000-row timing sheet, during which the worker's event loop could not run, though the sheet
is read in another thread. A Python loop over `iter_rows` lets the loop's thread in between rows, and is no
slower. `iter_rows` gives the empty rows above the sheet's first cell but not the empty columns to its
left (python-calamine 0.9): those are added here, so that the cells are exactly `to_python`'s, which
tests/core/test_sheet_rows.py checks on sheets of every shape."""

from python_calamine import CalamineSheet

Rows = list[list[object]]


def sheet_rows(sheet: CalamineSheet, *, skip_empty_area: bool) -> Rows:
    """`sheet.to_python(skip_empty_area=skip_empty_area)`."""
    if sheet.start is None:  # an empty sheet: nothing to build
        return sheet.to_python(skip_empty_area=skip_empty_area)
    top, left = sheet.start
    rows: Rows = []
    if skip_empty_area:
        for number, row in enumerate(sheet.iter_rows()):
            if number >= top:
                rows.append(row)
        return rows
    if not left:
        for row in sheet.iter_rows():
            rows.append(row)
        return rows
    pad = [""] * left
    for row in sheet.iter_rows():
        rows.append(pad + row)
    return rows
