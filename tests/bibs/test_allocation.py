from hypothesis import given
from hypothesis import strategies as st

from sportsrun.bibs.allocation import lowest_free, scan_chunk


def brute_force(first, last, held, reserved):
    return next((b for b in range(first, last + 1) if b not in held and b not in reserved), None)


def scan_all(first, last, held, reserved, start, chunk):
    """Drives scan_chunk the way bibs.services.allocate does, over chunks of the held bibs."""
    ordered = sorted(b for b in held if b >= start)
    position = start
    while True:
        part = [b for b in ordered if position <= b <= last][:chunk]
        scan = scan_chunk(position, last, part, frozenset(reserved), complete=len(part) < chunk)
        if scan.resume_from is None:
            return scan.bib
        position = scan.resume_from


ranges = st.tuples(st.integers(1, 50), st.integers(0, 80)).map(lambda t: (t[0], t[0] + t[1]))


@given(ranges, st.data(), st.integers(1, 6))
def test_scan_finds_exactly_the_lowest_free_bib(bib_range, data, chunk):
    first, last = bib_range
    bibs = st.integers(first, last)
    held = data.draw(st.sets(bibs))
    reserved = data.draw(st.sets(bibs)) - held
    # The allocator may start from any point below which every bib is held or reserved.
    expected = brute_force(first, last, held, reserved)
    hint_limit = expected if expected is not None else last + 1
    start = data.draw(st.integers(first, hint_limit))
    assert scan_all(first, last, held, reserved, start, chunk) == expected
    assert lowest_free(first, last, set(held), reserved) == expected


def test_reserved_bibs_are_skipped_and_a_full_range_gives_none():
    assert scan_chunk(1, 5, [], frozenset({1, 2}), complete=True).bib == 3
    assert scan_chunk(1, 3, [1, 2, 3], frozenset(), complete=True).bib is None
    assert scan_chunk(1, 3, [3], frozenset({1, 2}), complete=True).bib is None


def test_an_incomplete_chunk_says_where_to_resume():
    scan = scan_chunk(1, 100, [1, 2, 3], frozenset(), complete=False)
    assert scan.bib is None and scan.resume_from == 4
