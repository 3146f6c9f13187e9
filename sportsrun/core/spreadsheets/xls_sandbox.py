"""Reading .xls files in a child process with a memory limit.

calamine's .xls reader reserves memory from sizes written in the file before it has read a cell (the
sheet's DIMENSIONS record, for one): a 6 KB file can ask for petabytes, and a failed allocation in Rust
aborts the whole process, not just the request. Such fields sit behind the OLE container's own sectors
and chains, and checking them from outside would mean re-implementing calamine's reader, release by
release. So the file is read in a child process that may use at most `MEMORY_LIMIT`: whatever the file
holds, only the child dies, and the upload is refused. Starting the child costs about 50 ms; .xls is the old format,
uploaded rarely and never for the big timing-company sheets."""

import os
import subprocess
import sys
from pathlib import Path

from sportsrun.core.spreadsheets import cells as codec
from sportsrun.core.spreadsheets import xls_child

MEMORY_LIMIT = 1 << 30  # an .xls at the cell cap (65,536 × 76) peaked at 838 MB
TIMEOUT_S = 60
_CHILD = str(Path(xls_child.__file__))


class TooLarge(Exception):
    pass


class Damaged(Exception):
    pass


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
        try:  # the child has parsed a hostile file: its output is not trusted
            return codec.loads(done.stdout)
        except codec.NotCells:
            raise Damaged from None
    # Rust reports a failed allocation on stderr before it aborts.
    if done.returncode == xls_child.TOO_LARGE or b"memory allocation of" in done.stderr:
        raise TooLarge
    raise Damaged
