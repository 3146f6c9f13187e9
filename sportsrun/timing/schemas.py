"""What the timing-sheet API answers, as the OpenAPI schema shows it (the handlers build plain dicts of these
shapes)."""

import datetime as dt
from typing import Literal, TypedDict


class SheetWarning(TypedDict):
    """A problem that does not stop the import: `row` as the sheet numbers it (null for no row), `column` the
    sheet's own header text."""

    row: int | None
    column: str | None
    message: str


class ImportReport(TypedDict):
    """A timing sheet read (and, unless a dry run, written): `import_id` is null for a dry run; `unchanged` when
    it is the same file as the race's last import, recorded without being read again."""

    import_id: int | None
    rows_read: int
    results_written: int
    finishers: int
    dnf: int
    dns: int
    dq: int
    unchanged: bool
    columns: dict[str, str]
    warnings: list[SheetWarning]


class PastImport(TypedDict):
    id: int
    at: dt.datetime
    filename: str
    mode: Literal["replace", "merge"]
    rows_read: int
    results_written: int
    finishers: int
    dnf: int
    dns: int
    dq: int
    warnings: int
    outcome: Literal["committed", "unchanged", "undone"]


class Undone(TypedDict):
    import_id: int
    undone: bool
    results: int
