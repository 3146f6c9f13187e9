"""Places from times (docs/rules.md, "Times and places"). Pure: plain values in, plain values out.

Places follow the most precise time given (milliseconds), so two runners published at the same second
can hold places 7 and 8; only exactly equal times share a place, and the next place skips (1, 2, 2, 4).
Places are overall, within gender, and within gender × age group. DNF, DQ and DNS are unranked.

Listing order: finishers by time (equal times by bib), then DNF, DQ, DNS, each by bib."""

from collections.abc import Hashable, Iterable, Sequence

UNRANKED_ORDER = {"DNF": 1, "DQ": 2, "DNS": 3}

# (place, gender place, age-group place, position in the listing): the places are None when unranked.
Standing = tuple[int | None, int | None, int | None, int]


def competition_places(times: Iterable[tuple[int, Hashable]]) -> dict[Hashable, int]:
    """1, 2, 2, 4: equal times share a place and the next place skips. The definition the tests hold
    `standings` to."""
    places: dict[Hashable, int] = {}
    previous, place = None, 0
    for position, (time_ms, key) in enumerate(sorted(times, key=lambda t: t[0]), start=1):
        if time_ms != previous:
            place, previous = position, time_ms
        places[key] = place
    return places


def standings(
    statuses: Sequence[str],
    times: Sequence[int | None],
    bibs: Sequence[int],
    genders: Sequence[str],
    groups: Sequence[str | None],
) -> list[Standing]:
    """Every result's places and listing position, in the order given. Column lists rather than one
    object per result: a big race has 50,000 results, and this runs inside the import's transaction."""
    n = len(statuses)
    finishers = [i for i, status, t in zip(range(n), statuses, times, strict=True)
                 if t is not None and status == "finished"]  # fmt: skip
    # One integer per finisher, (time, bib, index) packed into its bits: sorting plain integers is several
    # times cheaper than sorting tuples. Shifting keeps the order of negative times too.
    low = min(bibs, default=0)
    index_bits = max(n.bit_length(), 1)
    bib_bits = max((max(bibs, default=0) - low).bit_length(), 1)
    keys = [((times[i] << bib_bits | bibs[i] - low) << index_bits) | i for i in finishers]  # type: ignore[operator]
    keys.sort()
    index_mask, time_shift = (1 << index_bits) - 1, index_bits + bib_bits

    # Counters [position, place, last time] for each gender and each gender × age group, one per result.
    by_gender = {g: [0, 0, None] for g in set(genders)}
    by_group = {k: [0, 0, None] for k in set(zip(genders, groups, strict=True)) if k[1] is not None}
    gender_counter = [by_gender[g] for g in genders]
    group_counter = [by_group.get(k) for k in zip(genders, groups, strict=True)]

    out: list[Standing] = [None] * n  # type: ignore[list-item]
    position = place = 0
    last = None
    for key in keys:
        i, t = key & index_mask, key >> time_shift
        position += 1
        if t != last:
            place, last = position, t
        g = gender_counter[i]
        g[0] += 1
        if t != g[2]:
            g[1], g[2] = g[0], t
        a = group_counter[i]
        if a is None:
            out[i] = (place, g[1], None, position)
            continue
        a[0] += 1
        if t != a[2]:
            a[1], a[2] = a[0], t
        out[i] = (place, g[1], a[1], position)
    if position < n:
        ranked = set(finishers)
        unranked = sorted((i for i in range(n) if i not in ranked),
                          key=lambda i: (UNRANKED_ORDER.get(statuses[i], 4), bibs[i]))  # fmt: skip
        for later, i in enumerate(unranked, start=position + 1):
            out[i] = (None, None, None, later)
    return out
