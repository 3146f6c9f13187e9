"""Finding runners by name among tens of thousands, in well under the time one table scan takes.

Per race and results version, each process keeps the public names' folded forms joined into one string;
a search is then a handful of `str.find` calls (C speed) and a bisect per hit, instead of a LIKE over
every row. Runners shown by initials have no folded name here: they are found by bib."""

from bisect import bisect_right
from dataclasses import dataclass

from sportsrun.results import queries

SEPARATOR = "\n"
# Races whose index a process keeps: the races of a race day, not every race ever searched.
KEEP = 32


@dataclass(slots=True)
class NameIndex:
    text: str
    starts: list[int]
    positions: list[int]
    genders: list[str]
    groups: list[str | None]
    provinces: list[str | None]

    def find(self, needle: str, gender: str = "", group: str = "", province: str = "") -> list[int]:
        """Listing positions whose name contains `needle`, in listing order, filtered."""
        if not needle or SEPARATOR in needle:
            return []
        hits, at, last = [], self.text.find(needle), -1
        while at != -1:
            row = bisect_right(self.starts, at) - 1
            if row != last and (
                (not gender or self.genders[row] == gender)
                and (not group or self.groups[row] == group)
                and (not province or self.provinces[row] == province)
            ):
                hits.append(self.positions[row])
                last = row
            at = self.text.find(needle, self.starts[row + 1] if row + 1 < len(self.starts) else len(self.text))
        return hits


_indexes: dict[int, tuple[int, NameIndex]] = {}


async def index_for(race_id: int, version: int) -> NameIndex:
    cached = _indexes.get(race_id)
    if cached and cached[0] == version:
        return cached[1]
    rows = await queries.names(race_id)
    starts, offset = [], 0
    for row in rows:
        starts.append(offset)
        offset += len(row[1]) + 1
    index = NameIndex(
        text=SEPARATOR.join(row[1] for row in rows),
        starts=starts,
        positions=[row[0] for row in rows],
        genders=[row[2] for row in rows],
        groups=[row[3] for row in rows],
        provinces=[row[4] for row in rows],
    )
    _indexes.pop(race_id, None)
    _indexes[race_id] = (version, index)
    while len(_indexes) > KEEP:
        del _indexes[next(iter(_indexes))]
    return index


def forget() -> None:
    _indexes.clear()
