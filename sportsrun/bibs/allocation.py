"""Handing out a race's lowest free bibs. No I/O of its own: the caller supplies the held bibs."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

HeldFrom = Callable[[int, int], Awaitable[list[int]]]


@dataclass(slots=True)
class BibRange:
    """The allocator's view of a race, read under the race's lock."""

    race_id: int
    first: int
    last: int
    reserved: frozenset[int]
    # Every bib in [first, next_free) is held or reserved: allocation scans upward from here.
    next_free: int
    dirty: bool = False

    def freed(self, bib: int | None) -> None:
        if bib is not None and bib < self.next_free:
            self.next_free = bib
            self.dirty = True


class FreeBibs:
    """The lowest free bibs of a range in ascending order, for one transaction holding the race's lock:
    skips bibs held (as `held_from(start, limit)` reports, ascending), reserved, or already given out
    in this transaction. Held bibs are read a chunk at a time from the stored lower bound upward, so a
    race with 40,000 runners costs one short query, not a scan of the race."""

    def __init__(self, bibs: BibRange, held_from: HeldFrom, chunk: int = 256):
        self.bibs = bibs
        self._held_from = held_from
        self._chunk = chunk
        self._held: set[int] = set()
        self._given: set[int] = set()
        self._cursor = max(bibs.next_free, bibs.first)
        self._known_upto = self._cursor - 1

    def claim(self, bib: int) -> None:
        """A bib given by request (an import's bib column), known to be free."""
        self._given.add(bib)

    async def next(self) -> int | None:
        candidate, last = self._cursor, self.bibs.last
        while candidate <= last:
            if candidate > self._known_upto:
                held = await self._held_from(candidate, self._chunk)
                self._held.update(held)
                self._known_upto = held[-1] if len(held) == self._chunk else last
            if candidate not in self._held and candidate not in self.bibs.reserved and candidate not in self._given:
                self._given.add(candidate)
                self._cursor = candidate + 1
                if candidate >= self.bibs.next_free:
                    self.bibs.next_free, self.bibs.dirty = candidate + 1, True
                return candidate
            candidate += 1
        self._cursor = candidate
        return None


def lowest_free(first: int, last: int, taken: set[int], reserved: Iterable[int]) -> int | None:
    """The plain definition, for checks: the smallest bib of the range neither taken nor reserved."""
    blocked = taken.union(reserved)
    return next((bib for bib in range(first, last + 1) if bib not in blocked), None)
