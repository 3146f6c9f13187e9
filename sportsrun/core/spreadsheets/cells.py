"""A sheet's cells as bytes and back, to keep what was read (between an upload's preview and its commit)
or to take it from a process that read the file.

Pickle, because cells are plain values and dates that JSON cannot tell from text; loading allows only
those types and checks the shape, so bytes from elsewhere (a child that parsed a hostile file, a database
row) cannot make it build anything else."""

import datetime as dt
import io
import pickle
import zlib

_DATES = {"date": dt.date, "datetime": dt.datetime, "time": dt.time, "timedelta": dt.timedelta}


class NotCells(Exception):
    pass


class _Cells(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in _DATES:
            return _DATES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def dumps(rows: list[list[object]], *, compress: bool = False) -> bytes:
    data = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.compress(data, 1) if compress else data


def loads(data: bytes, *, compressed: bool = False) -> list[list[object]]:
    """Rows of cells; raises NotCells for anything else."""
    try:
        rows = _Cells(io.BytesIO(zlib.decompress(data) if compressed else data)).load()
    except Exception:
        raise NotCells from None
    if rows.__class__ is list and all(row.__class__ is list for row in rows):
        return rows
    raise NotCells
