"""A result as stored, and what the public sees of its runner beside it. Pure: plain values in and out."""

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from sportsrun.core.text.names import initials, shows_full_name
from sportsrun.events.age_groups import ADULT_AGE, age_on, group_for, label
from sportsrun.events.race_row import RaceRow
from sportsrun.registration.registrant import Registrant
from sportsrun.results.times import format_time


class ResultData(NamedTuple):
    """One runner's result as stored (places apart). Immutable: a change is a new one (`_replace`)."""

    registration: int
    bib: int
    status: str
    gun_ms: int | None
    chip_ms: int | None
    splits: list[tuple[str, int]]
    import_id: int | None = None

    def snapshot(self) -> list:
        return list(self)

    @classmethod
    def from_snapshot(cls, values: list) -> "ResultData":
        registration, bib, status, gun, chip, splits, import_id = values
        return cls(registration, bib, status, gun, chip, [tuple(s) for s in splits], import_id)

    def describe(self) -> str:
        if self.status != "finished":
            return self.status
        parts = [format_time(self.gun_ms) if self.gun_ms is not None else "-"]
        if self.chip_ms is not None:
            parts.append(f"chip {format_time(self.chip_ms)}")
        return " ".join(parts)


# Made straight from a tuple of the fields, without a Python-level __new__ call per runner.
result_data = partial(tuple.__new__, ResultData)


class Shown(NamedTuple):
    """What the public sees of a runner beside their result, worked out from the registration."""

    name: str
    name_key: str  # the folded name for search; empty when shown by initials (found by bib instead)
    gender: str
    province: str | None
    country: str
    age_group: str | None


_shown = partial(tuple.__new__, Shown)


def shown(race: RaceRow, people: Iterable[Registrant]) -> dict[int, Shown]:
    """By registration. An import works this out while the sheet is still being parsed (the parser does
    not hold the GIL), so the write itself has less to do."""
    race_day, groups = race.race_day, race.age_groups
    ages: dict[str, tuple[bool, str | None]] = {}  # birth date → (minor, age group): many runners share one
    out = {}
    for person in people:
        known = ages.get(person.birth_date)
        if known is None:
            age = age_on(dt.date.fromisoformat(person.birth_date), race_day)
            found = group_for(age, groups)
            known = ages[person.birth_date] = (age < ADULT_AGE, label(found) if found else None)
        minor, group = known
        if shows_full_name(person.name_display, minor, person.guardian_allows_full_name):
            name, key = f"{person.given_name} {person.family_name}", person.name_key
        else:
            name, key = initials(person.given_name, person.family_name), ""
        out[person.registration] = _shown((name, key, person.gender, person.province, person.country, group))
    return out
