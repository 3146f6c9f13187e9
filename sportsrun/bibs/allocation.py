"""Finding the lowest free bib of a race's range. Pure functions; the caller holds the race's lock."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scan:
    bib: int | None  # the lowest free bib, when found
    resume_from: int | None  # where to continue when the chunk of held bibs ran out first


def scan_chunk(start: int, last: int, held: Sequence[int], reserved: frozenset[int], complete: bool) -> Scan:
    """Walks upward from `start` past held and reserved bibs.

    `held` is an ascending chunk of the bibs held at or above `start`; `complete` says it holds all of
    them up to `last`. With an incomplete chunk a bib past its end cannot be proven free, so the scan
    says where to resume. `Scan(None, None)`: the range is used up."""
    candidate = start
    for bib in held:
        while candidate < bib:
            if candidate > last:
                return Scan(None, None)
            if candidate not in reserved:
                return Scan(candidate, None)
            candidate += 1
        candidate = max(candidate, bib + 1)
    if not complete:
        return Scan(None, candidate) if candidate <= last else Scan(None, None)
    while candidate <= last:
        if candidate not in reserved:
            return Scan(candidate, None)
        candidate += 1
    return Scan(None, None)


def lowest_free(
    first: int, last: int, taken: set[int], reserved: Iterable[int], start: int | None = None
) -> int | None:
    """In-memory form for bulk work, where every held bib is already loaded into `taken`."""
    blocked = taken.union(reserved)
    candidate = max(first, start or first)
    while candidate <= last:
        if candidate not in blocked:
            return candidate
        candidate += 1
    return None


@dataclass(slots=True)
class BibRange:
    """The allocator's view of a race, read under the race's lock."""

    race_id: int
    first: int
    last: int
    reserved: frozenset[int]
    next_free: int
    dirty: bool = False

    def freed(self, bib: int | None) -> None:
        if bib is not None and bib < self.next_free:
            self.next_free = bib
            self.dirty = True
