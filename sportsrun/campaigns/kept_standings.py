"""A campaign's series standings kept from one results version to the next. Pure: no I/O.

An import changes one race of twenty; recounting a quarter of a million finishes and re-ranking 120,000
people for it took seconds. Kept here: each series race's finishers at the version counted, each person's
finishes, their standing, and each ranked table asked for. An update recounts only the people who ran a
changed race (before or after the change) and merges their new rows into the kept order; a change of the
rules or of which races count (or their names or dates) counts everything again.

One object per campaign per process; its updates run in threads (the event loop keeps its turns), so they
take a lock. Its callers pause the cycle collector around them (core.gc_pause): the hundreds of thousands of
tuples made set off rounds that walked the whole heap, the finishes kept here among it, and took more than
half the time of an update."""

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sportsrun.campaigns.series import Run, Standing, order, ranked, tally
from sportsrun.core.text.names import fold

# (registration, person, chose initials, place within gender, public name, gender, province): board.Finisher
Finisher = tuple[int, int, bool, int, str, str, str | None]
# (race date, race id, race name, results version, its finishers), in the series' race order
RaceRead = tuple[object, int, str, object, Sequence[Finisher]]


@dataclass(frozen=True)
class Table:
    """The standings ranked one way (overall or within a gender), with the names folded for search."""

    rows: list[Standing]
    folded: list[str]


def person_run(person: int, entries: list[tuple]) -> tuple[Run, int]:
    """A person's run from their finishes, (race date, race id, race name, finisher) each, and their latest
    registration. Name, gender and province are the latest registration's (the latest race date, then the
    latest registration), but initials chosen in any race stay (docs/rules.md, "The campaign"); one place per
    race, the better one, should the identity rule have joined two registrations of a race."""
    entries.sort(key=lambda e: (e[0], e[1]))
    latest = chosen = None
    finishes: list[tuple[int, str, int]] = []
    for day, race_id, race_name, f in entries:
        when = (day, f[0])
        if latest is None or when > latest[0]:
            latest = (when, f)
        if f[2] and (chosen is None or when > chosen[0]):
            chosen = (when, f)
        if finishes and finishes[-1][0] == race_id:
            if f[3] < finishes[-1][2]:
                finishes[-1] = (race_id, race_name, f[3])
        else:
            finishes.append((race_id, race_name, f[3]))
    assert latest is not None
    shown = chosen[1] if chosen is not None else latest[1]
    return Run(person, shown[4], latest[1][5], latest[1][6], finishes), latest[1][0]


class KeptStandings:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.shape: tuple | None = None  # the rules and the races (date, id, name) the counts are for
        self.versions: dict[int, object] = {}  # race → results version counted
        self.finishers: dict[int, Sequence[Finisher]] = {}  # race → its finishers at that version
        self.entries: dict[int, list[tuple]] = {}  # person → (race date, race id, race name, finisher) each
        self.rows: dict[int, Standing] = {}  # person → unranked standing
        self.latest: dict[int, int] = {}  # person → their latest series registration
        self.tables: dict[str, Table] = {}  # gender ("" overall) → the last table ranked
        self.pending: dict[str, set[int]] = {}  # gender → the people changed since its table was ranked
        self._folded: dict[str, str] = {}

    def update(self, read: Iterable[RaceRead], best_of: int, points_table: Sequence[int] | None) -> None:
        """Brings the standings to the races' versions as read."""
        read = list(read)
        shape = (best_of, tuple(points_table) if points_table is not None else None,
                 tuple((day, race_id, name) for day, race_id, name, _, _ in read))  # fmt: skip
        with self.lock:
            if shape != self.shape:
                self._count_all(read, best_of, points_table)
                self.shape = shape
                return
            changed: set[int] = set()
            for day, race_id, name, version, finishers in read:
                if self.versions.get(race_id) == version:
                    continue
                for f in self.finishers.get(race_id, ()):
                    kept = self.entries.get(f[1])
                    if kept is not None:
                        kept[:] = [e for e in kept if e[1] != race_id]
                    changed.add(f[1])
                for f in finishers:
                    self.entries.setdefault(f[1], []).append((day, race_id, name, f))
                    changed.add(f[1])
                self.versions[race_id], self.finishers[race_id] = version, finishers
            if changed:
                self._recount(changed, best_of, points_table)

    def _count_all(self, read: list[RaceRead], best_of: int, points_table: Sequence[int] | None) -> None:
        self.entries, self.rows, self.latest, self.versions, self.finishers = {}, {}, {}, {}, {}
        for day, race_id, name, version, finishers in read:
            for f in finishers:
                self.entries.setdefault(f[1], []).append((day, race_id, name, f))
            self.versions[race_id], self.finishers[race_id] = version, finishers
        self._recount(set(self.entries), best_of, points_table)
        self.tables, self.pending = {}, {}

    def _recount(self, people: set[int], best_of: int, points_table: Sequence[int] | None) -> None:
        runs = []
        for person in people:
            entries = self.entries.get(person)
            if not entries:
                self.entries.pop(person, None)
                self.rows.pop(person, None)
                self.latest.pop(person, None)
                continue
            run, self.latest[person] = person_run(person, entries)
            runs.append(run)
        for row in tally(runs, best_of=best_of, points_table=points_table):
            self.rows[row[0]] = row
        for pending in self.pending.values():
            pending |= people

    def standings(self) -> tuple[list[Standing], dict[int, int]]:
        """The unranked rows and each person's latest registration, as they stand now (copies)."""
        with self.lock:
            return list(self.rows.values()), dict(self.latest)

    def table(self, gender: str = "") -> Table:
        """The standings ranked overall ("") or within a gender: the kept table with the changed people's rows
        merged in, or ranked afresh."""
        with self.lock:
            kept, pending = self.tables.get(gender), self.pending.get(gender)
            if kept is None or pending is None:  # never ranked, or everything counted again since
                chosen = ranked(self.rows.values(), gender or None)
            elif not pending:
                return kept
            else:
                chosen = self._merged(kept.rows, pending, gender)
            folded = self._fold(chosen)
            table = self.tables[gender] = Table(chosen, folded)
            self.pending[gender] = set()
            return table

    def _merged(self, rows: list[Standing], changed: set[int], gender: str) -> list[Standing]:
        """The kept order without the changed people, their new rows sorted in, ranked again."""
        kept = [r for r in rows if r[0] not in changed]
        fresh = [r for p in changed if (r := self.rows.get(p)) is not None and (not gender or r[2] == gender)]
        kept.extend(sorted(fresh, key=order))
        kept.sort(key=order)  # two sorted runs: one merge
        return ranked(kept, None, presorted=True)

    def _fold(self, rows: list[Standing]) -> list[str]:
        known, get = self._folded, self._folded.get
        out = []
        for r in rows:
            f = get(r[1])
            if f is None:
                f = known[r[1]] = fold(r[1])
            out.append(f)
        if len(known) > 4 * len(self.rows) + 1000:
            self._folded = {r[1]: f for r, f in zip(rows, out, strict=True)}
        return out
