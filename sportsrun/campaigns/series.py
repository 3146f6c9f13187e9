"""A campaign's series standings (PRODUCT.md, "The road to the Baghdad Marathon"; API.md, "Campaign
leaderboards"). Pure: plain values in, plain values out.

Points come from each series race's place within gender. By default the winner gets 100 and each place one
less, never under 1 (the 150th still earns 1). A campaign's own table gives its points by place; places
beyond its end earn 0 (PRODUCT.md is silent there: a custom table, like the usual 25-18-15 … tables, lists
the places that score, and a last value repeated for everyone behind would reward the whole field). Only a
finisher has a place: DNF, DQ and DNS earn nothing and are not listed.

A person's best `best_of` results are counted (the earlier race first among equal points, which changes no
total); `races` is the number of series races they finished. People without a finish are not in the
standings. Should one person have two results in one race (the identity rule joined two registrations of it), the
better place is kept.

Order: points; then more results counted; then the best single result (the most points in one race); people
level on all three share a rank and the next rank skips (1, 2, 2, 4, as places do), listed by name. Each row
says what put it above the next one (`tiebreak`): None when points did or when they are level."""

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

DEFAULT_WINNER = 100
DEFAULT_BEST_OF = 3
RACES_COUNTED = "races_counted"
BEST_RESULT = "best_result"


class Person(NamedTuple):
    """Who holds which registrations of the series races. The live standings take each registration's person
    from the registration domain (`registration/people.py` applies the identity rule when a registration is
    made); `scores` takes them ready-made."""

    key: int
    name: str
    gender: str
    province: str | None
    registrations: tuple[int, ...]


def person_of(persons: Iterable[Person]) -> dict[int, Person]:
    """Registration id → its person."""
    return {registration: p for p in persons for registration in p.registrations}


class Finish(NamedTuple):
    """One registration's result in a series race."""

    registration: int
    race_id: int
    race: str  # the race's name, as the standings list it
    place: int | None  # within gender; None for DNF, DQ and DNS


class Score(NamedTuple):
    race_id: int
    race: str
    place: int
    points: int
    counted: bool


class Standing(NamedTuple):
    person: int  # the person's key (Person.key)
    name: str
    gender: str
    province: str | None
    points: int  # of the counted results
    races: int  # series races finished
    counted: int  # results counted: the first tie-break
    best: int  # the most points of one result: the second tie-break
    results: tuple[Score, ...]  # in the order the finishes were given
    rank: int = 0  # 0 until ranked
    tiebreak: str | None = None  # what put this row above the next one: RACES_COUNTED, BEST_RESULT or None

    @property
    def merit(self) -> tuple[int, int, int]:
        """Sorts best first."""
        return (-self.points, -self.counted, -self.best)


def check_table(points_table: Sequence[int] | None) -> None:
    if points_table is not None and (not points_table or any(p < 0 for p in points_table)):
        raise ValueError("a points table lists at least one place, none below 0")


def points(place: int, points_table: Sequence[int] | None = None) -> int:
    """The points a place within gender earns."""
    if place < 1:
        raise ValueError(place)
    if points_table is None:
        return max(DEFAULT_WINNER + 1 - place, 1)
    return points_table[place - 1] if place <= len(points_table) else 0


def _earner(points_table: Sequence[int] | None) -> Callable[[int], int]:
    if points_table is None:
        return lambda place: DEFAULT_WINNER + 1 - place if place <= DEFAULT_WINNER else 1
    table = tuple(points_table)
    return lambda place: table[place - 1] if place <= len(table) else 0


class Run(NamedTuple):
    """One person and their finishes: (race id, race name, place within gender), one per race, in the order
    the standings list them."""

    person: int
    name: str
    gender: str
    province: str | None
    finishes: Sequence[tuple[int, str, int]]


def tally(runs: Iterable[Run], *, best_of: int = DEFAULT_BEST_OF,
          points_table: Sequence[int] | None = None) -> list[Standing]:  # fmt: skip
    """Each run with at least one finish, with its points; unranked (see `ranked`), in the runs' order.

    A quarter of a million finishes pass through here when a campaign's standings are recomputed, so it
    builds tuples directly rather than through the named tuples' Python-level constructors."""
    if best_of < 1:
        raise ValueError("best_of counts at least one result")
    check_table(points_table)
    earn, new, rows = _earner(points_table), tuple.__new__, []
    for person, name, gender, province, finishes in runs:
        if not finishes:
            continue
        earned = [earn(place) for _, _, place in finishes]
        n = len(earned)
        if n <= best_of:
            chosen = range(n)
            total = sum(earned)
        else:  # the best first; sorted() is stable, so the earlier race first among equal points
            chosen = set(sorted(range(n), key=earned.__getitem__, reverse=True)[:best_of])
            total = sum(earned[i] for i in chosen)
        results = tuple(new(Score, (race_id, race, place, earned[i], i in chosen))
                        for i, (race_id, race, place) in enumerate(finishes))  # fmt: skip
        rows.append(new(Standing, (person, name, gender, province, total, n, min(best_of, n), max(earned), results,
                                   0, None)))  # fmt: skip
    return rows


def scores(
    persons: Iterable[Person],
    finishes: Iterable[Finish],
    *,
    best_of: int = DEFAULT_BEST_OF,
    points_table: Sequence[int] | None = None,
) -> list[Standing]:
    """Each person with a finish, with their points; unranked (see `ranked`), by person key."""
    persons = list(persons)
    owner = person_of(persons)
    theirs: dict[int, dict[int, Finish]] = {}
    for f in finishes:
        if f.registration not in owner:
            raise ValueError(f"registration {f.registration} belongs to no person")
        if f.place is None:
            continue
        if f.place < 1:
            raise ValueError(f.place)
        races = theirs.setdefault(owner[f.registration].key, {})
        kept = races.get(f.race_id)
        if kept is None or f.place < kept.place:  # type: ignore[operator]
            races[f.race_id] = f
    runs = (Run(p.key, p.name, p.gender, p.province, [(f.race_id, f.race, f.place) for f in theirs[p.key].values()])
            for p in persons if p.key in theirs)  # fmt: skip
    return tally(runs, best_of=best_of, points_table=points_table)


def order(r: Standing) -> tuple:
    """The standings' order: merit, then name, then person."""
    return (-r[4], -r[6], -r[7], r[1], r[0])


def ranked(rows: Iterable[Standing], gender: str | None = None, *, presorted: bool = False) -> list[Standing]:
    """The rows of one gender (all of them when None), in order, each with its rank and tiebreak
    (`presorted`: the rows are in `order` already).

    A campaign ranks 120,000 people after each import: the sort key and the new rows are built from the
    tuples' positions, not through the named tuple's properties and `_replace`."""
    chosen = (r for r in rows if gender is None or r[2] == gender)
    chosen = list(chosen) if presorted else sorted(chosen, key=order)
    # People level on merit share a rank and no tie-break: only the last of each level can have one, over the
    # next level's first. Levels are few (points are bounded), so the work per row stays in comprehensions.
    levels = [list(level) for _, level in groupby(chosen, key=itemgetter(4, 6, 7))]
    out: list[Standing] = []
    new, rank = tuple.__new__, 1
    for n, level in enumerate(levels):
        last, tiebreak = level[-1], None
        if n + 1 < len(levels) and last[4] == (below := levels[n + 1][0])[4]:
            tiebreak = RACES_COUNTED if last[6] != below[6] else BEST_RESULT
        # Rows ranked before keep their tuple when nothing moved them (kept_standings re-ranks merged tables).
        out.extend([r if r[9] == rank and r[10] is None else new(Standing, (*r[:9], rank, None)) for r in level[:-1]])
        out.append(last if last[9] == rank and last[10] == tiebreak else new(Standing, (*last[:9], rank, tiebreak)))
        rank += len(level)
    return out


def standings(
    persons: Iterable[Person],
    finishes: Iterable[Finish],
    *,
    best_of: int = DEFAULT_BEST_OF,
    points_table: Sequence[int] | None = None,
    gender: str | None = None,
) -> list[Standing]:
    """The series table: within `gender` when one is chosen, overall otherwise. A filter by province or name
    picks rows from it and keeps their ranks."""
    return ranked(scores(persons, finishes, best_of=best_of, points_table=points_table), gender)
