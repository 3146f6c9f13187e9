"""Places from times (PRODUCT.md "Times and places"). Pure: plain values in, plain values out.

Places follow the most precise time given (milliseconds), so two runners published at the same second
can hold places 7 and 8; only exactly equal times share a place, and the next place skips (1, 2, 2, 4).
Places are overall, within gender, and within gender × age group. DNF, DQ and DNS are unranked."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

UNRANKED_ORDER = {"DNF": 1, "DQ": 2, "DNS": 3}


@dataclass(frozen=True, slots=True)
class Entry:
    key: Hashable
    status: str  # finished | DNF | DNS | DQ
    time_ms: int | None  # the ranking time: gun, or chip in a chip-ranked race
    gender: str
    age_group: str | None


@dataclass(frozen=True, slots=True)
class Places:
    place: int | None = None
    gender_place: int | None = None
    age_group_place: int | None = None


def competition_places(times: Iterable[tuple[int, Hashable]]) -> dict[Hashable, int]:
    """1, 2, 2, 4: equal times share a place and the next place skips."""
    places: dict[Hashable, int] = {}
    previous, place = None, 0
    for position, (time_ms, key) in enumerate(sorted(times, key=lambda t: t[0]), start=1):
        if time_ms != previous:
            place, previous = position, time_ms
        places[key] = place
    return places


def rank(entries: Iterable[Entry]) -> dict[Hashable, Places]:
    finishers = [e for e in entries if e.status == "finished" and e.time_ms is not None]
    overall = competition_places((e.time_ms, e.key) for e in finishers)
    by_gender: dict[str, list[tuple[int, Hashable]]] = {}
    by_group: dict[tuple[str, str], list[tuple[int, Hashable]]] = {}
    for e in finishers:
        by_gender.setdefault(e.gender, []).append((e.time_ms, e.key))
        if e.age_group is not None:
            by_group.setdefault((e.gender, e.age_group), []).append((e.time_ms, e.key))
    gender_places: dict[Hashable, int] = {}
    for times in by_gender.values():
        gender_places.update(competition_places(times))
    group_places: dict[Hashable, int] = {}
    for times in by_group.values():
        group_places.update(competition_places(times))
    return {e.key: Places(overall[e.key], gender_places[e.key], group_places.get(e.key)) for e in finishers}


def order_key(status: str, place: int | None, time_ms: int | None, bib: int) -> tuple:
    """Finishers by place (then time and bib), then DNF, DQ, DNS."""
    if status == "finished" and place is not None:
        return (0, place, time_ms or 0, bib)
    return (UNRANKED_ORDER.get(status, 4), 0, 0, bib)
