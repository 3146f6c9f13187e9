import asyncio

from hypothesis import given
from hypothesis import strategies as st

from sportsrun.bibs.allocation import BibRange, FreeBibs, lowest_free


def held_source(held: set[int], last: int):
    ordered = sorted(held)

    async def held_from(start: int, limit: int) -> list[int]:
        return [b for b in ordered if start <= b <= last][:limit]

    return held_from


ranges = st.tuples(st.integers(1, 50), st.integers(0, 80)).map(lambda t: (t[0], t[0] + t[1]))


@given(ranges, st.data(), st.integers(1, 6), st.integers(1, 12))
def test_free_bibs_are_exactly_the_lowest_ones_in_order(bib_range, data, chunk, wanted):
    first, last = bib_range
    bibs = st.integers(first, last)
    held = data.draw(st.sets(bibs))
    reserved = data.draw(st.sets(bibs)) - held
    claimed = data.draw(st.sets(bibs)) - held - reserved
    # The stored lower bound may sit anywhere at or below the lowest free bib.
    lowest = lowest_free(first, last, held, reserved)
    start = data.draw(st.integers(first, lowest if lowest is not None else last + 1))
    bib_range_row = BibRange(1, first, last, frozenset(reserved), start)
    free = FreeBibs(bib_range_row, held_source(held, last), chunk=chunk)
    for bib in claimed:
        free.claim(bib)

    async def take():
        return [await free.next() for _ in range(wanted)]

    got = asyncio.run(take())
    expected, taken = [], set(held) | claimed
    for _ in range(wanted):
        bib = lowest_free(first, last, taken, reserved)
        expected.append(bib)
        if bib is not None:
            taken.add(bib)
    assert got == expected
    # The stored lower bound stays a lower bound of what is free afterwards.
    after = lowest_free(first, last, taken, reserved)
    assert after is None or bib_range_row.next_free <= after


def test_reserved_bibs_are_skipped_and_a_full_range_gives_none():
    async def run(held, reserved, last):
        free = FreeBibs(BibRange(1, 1, last, frozenset(reserved), 1), held_source(set(held), last))
        return await free.next()

    assert asyncio.run(run([], {1, 2}, 5)) == 3
    assert asyncio.run(run([1, 2, 3], set(), 3)) is None
    assert asyncio.run(run([3], {1, 2}, 3)) is None


def test_freeing_a_bib_lowers_the_bound():
    row = BibRange(1, 1, 10, frozenset(), 6)
    row.freed(3)
    assert (row.next_free, row.dirty) == (3, True)
    row.freed(8)
    assert row.next_free == 3
