"""Cells kept as bytes (an upload between preview and commit) or taken from the .xls child: only cell
values come back."""

import datetime as dt
import os
import pickle

import pytest

from sportsrun.core.spreadsheets import cells

VALUES = [[1.5, "x", None, True, dt.date(2026, 1, 2), dt.datetime(2026, 1, 2, 3), dt.time(1), dt.timedelta(1)], []]


@pytest.mark.parametrize("compress", [False, True])
def test_cells_come_back_as_they_went(compress):
    assert cells.loads(cells.dumps(VALUES, compress=compress), compressed=compress) == VALUES


def test_anything_but_cell_values_is_refused():
    """The child has parsed a hostile file, so a pickle from it that names anything else is refused."""
    with pytest.raises(cells.NotCells):
        cells.loads(pickle.dumps(os.system))
    for not_rows in ({"a": 1}, [1, 2], "text", [[1], (2,)]):
        with pytest.raises(cells.NotCells):
            cells.loads(pickle.dumps(not_rows))
    with pytest.raises(cells.NotCells):
        cells.loads(b"not a pickle at all", compressed=True)
