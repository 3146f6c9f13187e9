"""What reading a timing sheet gives: the race facts it is read against, its rows, and everything the
preview shows and the commit writes. Pure."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from sportsrun.core.errors import RowError

PREVIEW_ROWS = 10


@dataclass(frozen=True, slots=True)
class RaceFacts:
    distance_m: float
    start: dt.datetime  # in the race's own time zone
    ranking: str  # gun | chip


class SheetRow(NamedTuple):
    row: int
    bib: int
    status: str  # finished | DNF | DNS | DQ
    gun_ms: int | None
    chip_ms: int | None
    splits: list[tuple[str, int]]


@dataclass(slots=True)
class Understood:
    header_row: int | None = None  # spreadsheet row number
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # canonical field → the sheet's header text
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    preview: list[tuple[int, list[str]]] = field(default_factory=list)
    bibs: set[int] = field(default_factory=set)  # every readable bib in the sheet, rows with problems included

    def counts(self) -> dict[str, int]:
        statuses = Counter(map(attrgetter("status"), self.rows))
        return {"finishers": statuses["finished"], "dnf": statuses["DNF"], "dns": statuses["DNS"], "dq": statuses["DQ"]}


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
