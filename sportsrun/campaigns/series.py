"""A campaign's series standings (PRODUCT.md, "The road to the Baghdad Marathon"; API.md, "Campaign
leaderboards"). Pure: plain values in, plain values out.

Points come from each series race's place within gender. By default the winner gets 100 and each place one
less, never under 1 (the 150th still earns 1). A campaign's own table gives its points by place; places
beyond its end earn 0 (PRODUCT.md is silent there: a custom table, like the usual 25-18-15 … tables, lists
the places that score, and a last value repeated for everyone behind would reward the whole field). Only a
finisher has a place: DNF, DQ and DNS earn nothing and are not listed.

A person's best `best_of` results are counted (the earlier race first among equal points, which changes no
total); `races` is the number of series races they finished. People without a finish are not in the
standings. Should one person have two results in one race (identity joined two registrations of it), the
better place is kept.

Order: points; then more results counted; then the best single result (the most points in one race); people
level on all three share a rank and the next rank skips (1, 2, 2, 4, as places do), listed by name. Each row
says what put it above the next one (`tiebreak`): None when points did or when they are level."""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sportsrun.campaigns.identity import Person, person_of

DEFAULT_WINNER = 100
DEFAULT_BEST_OF = 3
RACES_COUNTED = "races_counted"
BEST_RESULT = "best_result"


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
    person: int  # the person's key (identity.Person.key)
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


def _scores(finishes: list[Finish], best_of: int, points_table: Sequence[int] | None) -> tuple[Score, ...]:
    earned = [points(f.place, points_table) for f in finishes]  # type: ignore[arg-type]
    best = sorted(range(len(finishes)), key=lambda i: -earned[i])[:best_of]  # sorted() is stable
    chosen = set(best)
    return tuple(
        Score(f.race_id, f.race, f.place, earned[i], i in chosen)  # type: ignore[arg-type]
        for i, f in enumerate(finishes)
    )


def scores(
    persons: Iterable[Person],
    finishes: Iterable[Finish],
    *,
    best_of: int = DEFAULT_BEST_OF,
    points_table: Sequence[int] | None = None,
) -> list[Standing]:
    """Each person with a finish, with their points; unranked (see `ranked`), by person key."""
    if best_of < 1:
        raise ValueError("best_of counts at least one result")
    check_table(points_table)
    persons = list(persons)
    owner = person_of(persons)
    theirs: dict[int, dict[int, Finish]] = {}
    for f in finishes:
        if f.registration not in owner:
            raise ValueError(f"registration {f.registration} belongs to no person")
        if f.place is None:
            continue
        races = theirs.setdefault(owner[f.registration].key, {})
        kept = races.get(f.race_id)
        if kept is None or f.place < kept.place:  # type: ignore[operator]
            races[f.race_id] = f
    rows = []
    for p in persons:
        if p.key not in theirs:
            continue
        results = _scores(list(theirs[p.key].values()), best_of, points_table)
        total = sum(s.points for s in results if s.counted)
        counted = min(best_of, len(results))
        best = max(s.points for s in results)
        rows.append(Standing(p.key, p.name, p.gender, p.province, total, len(results), counted, best, results))
    return rows


def _tiebreak(above: Standing, below: Standing) -> str | None:
    if above.points != below.points:
        return None
    if above.counted != below.counted:
        return RACES_COUNTED
    if above.best != below.best:
        return BEST_RESULT
    return None


def ranked(rows: Iterable[Standing], gender: str | None = None) -> list[Standing]:
    """The rows of one gender (all of them when None), in order, each with its rank and tiebreak."""
    chosen = sorted(
        (r for r in rows if gender is None or r.gender == gender), key=lambda r: (r.merit, r.name, r.person)
    )
    out: list[Standing] = []
    for i, r in enumerate(chosen):
        rank = out[-1].rank if out and out[-1].merit == r.merit else i + 1
        tiebreak = _tiebreak(r, chosen[i + 1]) if i + 1 < len(chosen) else None
        out.append(r._replace(rank=rank, tiebreak=tiebreak))
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
