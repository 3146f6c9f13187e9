"""A race's bibs as the allocator sees them (`allocation`), and the lower bound it keeps on the race
between transactions. Who holds which bib is registration's: it hands the allocator its query."""

from sportsrun.bibs.allocation import BibRange, FreeBibs, HeldFrom
from sportsrun.events import services as events
from sportsrun.events.race_row import RaceRow


def bib_range(race: RaceRow) -> BibRange:
    """The allocator's view of a race, read under the race's lock."""
    return BibRange(race.id, race.bib_first, race.bib_last, frozenset(race.reserved_bibs), race.bib_next_free)


def free_bibs(bibs: BibRange, held_from: HeldFrom) -> FreeBibs:
    """The race's lowest free bibs, one transaction's worth; `held_from(start, limit)` lists held ones."""
    return FreeBibs(bibs, held_from)


async def save_next_free(bibs: BibRange) -> None:
    """Keeps the allocator's lower bound for the next transaction, when this one moved it."""
    if bibs.dirty:
        await events.set_bib_next_free(bibs.race_id, bibs.next_free)
        bibs.dirty = False


def next_free_to_save(bibs: BibRange) -> int | None:
    """The lower bound to keep, when this transaction moved it, for a caller that writes it (the race's
    `bib_next_free`) in a statement of its own making: registration's batch write, which saves a round trip
    under the race's lock that way. Counted as saved."""
    if not bibs.dirty:
        return None
    bibs.dirty = False
    return bibs.next_free
