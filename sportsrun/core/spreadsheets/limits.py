"""What an uploaded sheet may hold, and the refusals when it holds more or cannot be read."""

from sportsrun.core.errors import RowError, SheetInvalid
from sportsrun.core.i18n import gettext as _

MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELLS = 5_000_000  # rows × columns a sheet spans: calamine and then Python hold every one (~40 bytes)
MAX_CELL_CHARS = 2_000
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200  # a real sheet compresses 5–20×; bombs compress thousands of times
CHUNK = 1 << 20


def refuse(message: str) -> SheetInvalid:
    return SheetInvalid([RowError(None, None, message)], detail=message)


def damaged() -> SheetInvalid:
    return refuse(_("The file is damaged: it could not be opened as a spreadsheet."))


def too_large() -> SheetInvalid:
    return refuse(_("The sheet is too large: at most {rows} rows, {cols} columns and {cells} cells.",
                     rows=MAX_ROWS, cols=MAX_COLUMNS, cells=MAX_CELLS))  # fmt: skip


def fits(height: int, width: int) -> None:
    if height > MAX_ROWS + 1 or width > MAX_COLUMNS or height * width > MAX_CELLS:
        raise too_large()
