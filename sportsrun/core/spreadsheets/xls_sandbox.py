"""Reading .xls files in a child process with a memory limit.

calamine's .xls reader reserves memory from sizes written in the file before it has read a cell (the
sheet's DIMENSIONS record, for one): a 6 KB file can ask for petabytes, and a failed allocation in Rust
aborts the whole process, not just the request. Such fields sit behind the OLE container's own sectors
and chains, and checking them from outside would mean re-implementing calamine's reader, release by
release. So the file is read in a child process that may use at most `MEMORY_LIMIT`: whatever the file
holds, only the child dies, and the upload is refused. Starting the child costs about 50 ms; .xls is the old format,
uploaded rarely and never for the big timing-company sheets."""

import datetime as dt
import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

from sportsrun.core.spreadsheets import xls_child

MEMORY_LIMIT = 1 << 30  # an .xls at the cell cap (65,536 × 76) peaked at 838 MB
TIMEOUT_S = 60
_CHILD = str(Path(xls_child.__file__))
_DATES = {"date": dt.date, "datetime": dt.datetime, "time": dt.time, "timedelta": dt.timedelta}


class TooLarge(Exception):
    pass


class Damaged(Exception):
    pass


class _Cells(pickle.Unpickler):
    """Only plain values and dates: the child has parsed a hostile file, so its output is not trusted."""

    def find_class(self, module: str, name: str) -> type:
        if module == "datetime" and name in _DATES:
            return _DATES[name]
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def _environment() -> dict[str, str]:
    kept = {name: os.environ[name] for name in ("PATH", "LD_LIBRARY_PATH") if name in os.environ}
    return {**kept, "RUST_BACKTRACE": "0"}


def read(data: bytes, rows: int, columns: int, cells: int) -> list[list[object]]:
    """The first sheet's rows, as calamine's `to_python(skip_empty_area=False)` gives them. Raises
    TooLarge when the sheet spans more than `rows` × `columns` or `cells`, or needs more memory than
    allowed; Damaged when calamine cannot read it."""
    command = [sys.executable, "-I", _CHILD, str(MEMORY_LIMIT), str(rows), str(columns), str(cells)]
    try:
        # A fixed command; the file goes in on stdin. The child gets no secrets from the environment.
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT_S, env=_environment())  # noqa: S603
    except subprocess.TimeoutExpired:
        raise TooLarge from None
    if done.returncode == 0:
        try:
            table = _Cells(io.BytesIO(done.stdout)).load()
        except Exception:
            raise Damaged from None
        if table.__class__ is list and all(row.__class__ is list for row in table):
            return table
        raise Damaged
    # Rust reports a failed allocation on stderr before it aborts.
    if done.returncode == xls_child.TOO_LARGE or b"memory allocation of" in done.stderr:
        raise TooLarge
    raise Damaged
