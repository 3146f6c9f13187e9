"""Places from times (PRODUCT.md "Times and places"). Pure: plain values in, plain values out.

Places follow the most precise time given (milliseconds), so two runners published at the same second
can hold places 7 and 8; only exactly equal times share a place, and the next place skips (1, 2, 2, 4).
Places are overall, within gender, and within gender × age group. DNF, DQ and DNS are unranked."""

from collections.abc import Hashable, Iterable
from operator import attrgetter
from typing import NamedTuple

UNRANKED_ORDER = {"DNF": 1, "DQ": 2, "DNS": 3}

# (place, gender place, age-group place): a plain tuple, built 50,000 times per import of a big race.
Places = tuple[int, int, int | None]


class Entry(NamedTuple):  # a tuple: made once per result of an import, 50,000 times for a big race
    key: Hashable
    status: str  # finished | DNF | DNS | DQ
    time_ms: int | None  # the ranking time: gun, or chip in a chip-ranked race
    gender: str
    age_group: str | None


def competition_places(times: Iterable[tuple[int, Hashable]]) -> dict[Hashable, int]:
    """1, 2, 2, 4: equal times share a place and the next place skips."""
    places: dict[Hashable, int] = {}
    previous, place = None, 0
    for position, (time_ms, key) in enumerate(sorted(times, key=lambda t: t[0]), start=1):
        if time_ms != previous:
            place, previous = position, time_ms
        places[key] = place
    return places


class _Counter:
    """Competition places handed out in time order within one group."""

    __slots__ = ("position", "place", "last")

    def __init__(self) -> None:
        self.position, self.place, self.last = 0, 0, None

    def next(self, time_ms: int) -> int:
        self.position += 1
        if time_ms != self.last:
            self.place, self.last = self.position, time_ms
        return self.place


def rank(entries: Iterable[Entry]) -> dict[Hashable, Places]:
    """One sort by time; the overall, gender and gender × age-group places in a single pass over it."""
    finishers = sorted((e for e in entries if e.status == "finished" and e.time_ms is not None),
                       key=attrgetter("time_ms"))  # fmt: skip
    overall = _Counter()
    counters: dict[object, _Counter] = {}
    places: dict[Hashable, Places] = {}
    for e in finishers:
        gender = counters.get(e.gender)
        if gender is None:
            gender = counters[e.gender] = _Counter()
        group_place = None
        if e.age_group is not None:
            key = (e.gender, e.age_group)
            group = counters.get(key)
            if group is None:
                group = counters[key] = _Counter()
            group_place = group.next(e.time_ms)
        places[e.key] = (overall.next(e.time_ms), gender.next(e.time_ms), group_place)
    return places


def order_key(status: str, place: int | None, time_ms: int | None, bib: int) -> tuple:
    """Finishers by place (then time and bib), then DNF, DQ, DNS."""
    if status == "finished" and place is not None:
        return (0, place, time_ms or 0, bib)
    return (UNRANKED_ORDER.get(status, 4), 0, 0, bib)
