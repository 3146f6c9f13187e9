"""Finding runners by name among tens of thousands, in well under the time one table scan takes.

Per race and results version, the public names' folded forms are joined into one string; a search is
then a handful of `str.find` calls (C speed) and a bisect per hit, instead of a LIKE over every row.
Runners shown by initials have no folded name here: they are found by bib.

The index is built when the race's results are stored (in the same transaction, so it always matches
them) and kept in the database, packed: a worker's first search after new results loads it (a few
milliseconds for 50,000 names) instead of reading every name through the index of `result` and building
it (some 100 to 400 ms). Each process keeps the indexes of the races it searched lately. Results stored
without one (before this existed, or changed behind the application's back) are indexed from their rows
at the first search, as before."""

import sys
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import msgspec

from sportsrun.results import queries

SEPARATOR = "\n"
# Races whose index a process keeps: the races of a race day, not every race ever searched.
KEEP = 32
# How the stored index is packed; a stored index of another format (or byte order) is built anew.
FORMAT = f"1{sys.byteorder[0]}"

Row = tuple[int, str, str, str | None, str | None]  # position, folded name, gender, age group, province


@dataclass(slots=True)
class NameIndex:
    text: str
    starts: Sequence[int]  # where each row's name begins in `text`
    positions: Sequence[int]  # each row's listing position
    codes: tuple[Sequence[int], Sequence[int], Sequence[int]]  # each row's gender, age group, province…
    labels: tuple[list, list, list]  # … as an index into these lists of the values that occur

    def find(self, needle: str, gender: str = "", group: str = "", province: str = "") -> list[int]:
        """Listing positions whose name contains `needle`, in listing order, filtered."""
        if not needle or SEPARATOR in needle:
            return []
        wanted = []
        for value, labels in zip((gender, group, province), self.labels, strict=True):
            if value and value not in labels:
                return []
            wanted.append(labels.index(value) if value else -1)
        g, a, p = wanted
        genders, groups, provinces = self.codes
        hits, at, last = [], self.text.find(needle), -1
        while at != -1:
            row = bisect_right(self.starts, at) - 1
            if row != last and (
                (g < 0 or genders[row] == g) and (a < 0 or groups[row] == a) and (p < 0 or provinces[row] == p)
            ):
                hits.append(self.positions[row])
                last = row
            at = self.text.find(needle, self.starts[row + 1] if row + 1 < len(self.starts) else len(self.text))
        return hits


def build(rows: Sequence[Row]) -> NameIndex:
    """The index of `rows`, given in listing order."""
    names = [row[1] for row in rows]
    starts = array("I", accumulate((len(name) + 1 for name in names), initial=0))
    starts.pop()
    codes, labels = [], []
    for column in (2, 3, 4):
        seen: dict = {}
        codes.append(array("H", (seen.setdefault(row[column], len(seen)) for row in rows)))
        labels.append(list(seen))
    return NameIndex(SEPARATOR.join(names), starts, array("I", (row[0] for row in rows)), tuple(codes), tuple(labels))


def renamed(index: NameIndex, position: int, key: str) -> NameIndex | None:
    """The index with the runner at listing `position` found by `key` instead (a fixed name), the rest as
    it was; None when nobody is at that position."""
    try:
        row = index.positions.index(position)
    except ValueError:
        return None
    names = index.text.split(SEPARATOR)
    names[row] = key
    starts = array("I", accumulate((len(name) + 1 for name in names), initial=0))
    starts.pop()
    return NameIndex(SEPARATOR.join(names), starts, index.positions, index.codes, index.labels)


def pack(index: NameIndex) -> bytes:
    codes = [bytes(c) for c in index.codes]
    return msgspec.msgpack.encode([FORMAT, index.text, bytes(index.starts), bytes(index.positions), codes,
                                   list(index.labels)])  # fmt: skip


def unpack(data: bytes) -> NameIndex | None:
    fields = msgspec.msgpack.decode(data)
    if not fields or fields[0] != FORMAT:
        return None
    _format, text, starts, positions, codes, labels = fields
    return NameIndex(text, array("I", starts), array("I", positions), tuple(array("H", c) for c in codes),
                     tuple(labels))  # fmt: skip


async def store(race_id: int, version: int, packed: bytes) -> None:
    """Keeps the index of the race's results `version` (`pack(build(rows))`, rows in listing order); inside
    the transaction that stores them."""
    await queries.save_name_index(race_id, version, packed)


_indexes: dict[int, tuple[int, NameIndex]] = {}


async def index_for(race_id: int, version: int) -> NameIndex:
    """The race's index for results `version` or newer (a worker's idea of the version may be a second
    old, the stored index never is)."""
    cached = _indexes.get(race_id)
    if cached and cached[0] >= version:
        return cached[1]
    stored = await queries.name_index(race_id)
    index = unpack(stored[1]) if stored and stored[0] >= version else None
    if index is None:
        index = build(await queries.names(race_id))
    else:
        version = stored[0]
    _indexes.pop(race_id, None)
    _indexes[race_id] = (version, index)
    while len(_indexes) > KEEP:
        del _indexes[next(iter(_indexes))]
    return index


def forget() -> None:
    _indexes.clear()
