"""What the organiser prints for a race: the start list and the bib-pickup list, by bib or by name.

Both carry confirmed runners only. A waitlisted runner has no bib to collect (and may never get one): a
runner who moves up gets a bib and is on the lists printed after that. The start list may be pinned up
at the start, so it shows each runner's public name (initials where they or their guardian chose so);
the pickup list is for the desk that checks a runner's identity card, so it shows the full name as
registered. Neither shows a birth date, a phone or an email: the age group stands for the age.

One query for the whole race; ages and groups are worked out once per distinct birth date."""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sportsrun.core.text.collation import sort_key
from sportsrun.core.text.names import public_name
from sportsrun.events import services as events
from sportsrun.events.age_groups import ADULT_AGE, age_on, group_for, label
from sportsrun.events.race_row import RaceRow
from sportsrun.registration import print_queries

ORDERS = ("bib", "name")


class PrintRow(NamedTuple):
    bib: int
    name: str
    gender: str
    age_group: str
    province: str | None
    country: str
    club: str


@dataclass(frozen=True, slots=True)
class PrintList:
    race: RaceRow
    rows: list[PrintRow]
    order: str


def _rows(raw: list[tuple], race: RaceRow, full_names: bool) -> list[PrintRow]:
    groups: dict[str, tuple[str, bool]] = {}
    out = []
    for bib, given, family, gender, birth, display, allows, province, country, club in raw:
        if birth not in groups:
            age = age_on(dt.date.fromisoformat(birth[:10]), race.race_day)
            group = group_for(age, race.age_groups)
            groups[birth] = (label(group) if group else "", age < ADULT_AGE)
        group_label, minor = groups[birth]
        name = f"{given} {family}" if full_names else public_name(given, family, display, minor, bool(allows))
        out.append(PrintRow(bib, name, gender, group_label, province, country or "", club or ""))
    return out


async def start_list(race_id: int) -> PrintList:
    """Every confirmed runner by bib, by public name."""
    race = await events.load_race(race_id)
    rows = _rows(await print_queries.confirmed_for_print(race_id), race, full_names=False)
    return PrintList(race, rows, "bib")


async def pickup_list(race_id: int, order: str, locale: str) -> PrintList:
    """Every confirmed runner by full name, ordered by bib or alphabetically (Arabic and Kurdish in one
    alphabet, spelling variants folded; names in Latin letters after them, or first in English)."""
    race = await events.load_race(race_id)
    order = order if order in ORDERS else "bib"
    rows = _rows(await print_queries.confirmed_for_print(race_id), race, full_names=True)
    if order == "name":
        arabic_first = locale != "en"
        rows.sort(key=lambda row: (sort_key(row.name, arabic_first), row.bib))
    return PrintList(race, rows, order)
