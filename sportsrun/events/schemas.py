"""What the events API answers, as the OpenAPI schema shows it (the handlers build plain dicts of these shapes)."""

import datetime as dt
from typing import Literal, NotRequired, TypedDict

from sportsrun.core.web.openapi import text

# Request fields read as text (their checks give localised messages), shown in the schema in their exact form.
Day = text(format="date")
Moment = text(format="date-time")
Ranking = text(enum=["gun", "chip"])
ResultsStatus = text(enum=["provisional", "official"])


class Province(TypedDict):
    code: str
    name_en: str
    name_ar: str
    name_ckb: str


class Race(TypedDict):
    """A race; the bib range, capacity and counts are left out where the public reads the race with its results."""

    id: int
    event_id: int
    name: str
    name_ar: NotRequired[str | None]
    name_ckb: NotRequired[str | None]
    name_en: NotRequired[str | None]
    distance_m: float
    start_time: dt.datetime
    capacity: NotRequired[int]
    bib_first: NotRequired[int]
    bib_last: NotRequired[int]
    reserved_bibs: NotRequired[list[int]]
    registration_opens_at: dt.datetime
    registration_closes_at: dt.datetime
    min_age: int | None
    ranking: Literal["gun", "chip"]
    age_groups: list[list[int | None]]
    age_group_labels: list[str]
    results_status: Literal["provisional", "official"]
    in_series: bool
    registered: NotRequired[int]
    waitlisted: NotRequired[int]
    places_left: NotRequired[int]
    registration_open: NotRequired[bool]
    results_updated_at: NotRequired[dt.datetime | None]


class DivisionSummary(TypedDict):
    """A mini-football division as its event lists it (football's division, with its team count)."""

    id: int
    event_id: int
    name: str
    name_ar: NotRequired[str | None]
    name_ckb: NotRequired[str | None]
    name_en: NotRequired[str | None]
    gender: Literal["women", "men", "mixed"]
    max_age: int | None
    squad_min: int
    squad_max: int
    max_teams: int
    registration_closes_at: dt.datetime
    qualifiers_per_group: Literal[1, 2]
    third_place_match: bool
    teams: int
    open: bool


class Event(TypedDict):
    id: int
    name: str
    name_ar: NotRequired[str | None]
    name_ckb: NotRequired[str | None]
    name_en: NotRequired[str | None]
    province: str
    city: str
    city_ar: NotRequired[str | None]
    city_ckb: NotRequired[str | None]
    city_en: NotRequired[str | None]
    venue: str | None
    date: dt.date
    description: str
    campaign_id: int | None
    published: bool


class EventWithRaces(Event):
    races: list[Race]
    divisions: list[DivisionSummary]
