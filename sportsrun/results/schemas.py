"""What the results API answers and the filters it reads, as the OpenAPI schema shows them (the handlers build
plain dicts of these shapes and read the query string themselves, with localised messages)."""

import datetime as dt
from typing import Literal, TypedDict

from sportsrun.core.web.openapi import query, text
from sportsrun.events.schemas import Race

ResultStatus = Literal["finished", "DNF", "DNS", "DQ"]
ResultStatusField = text(enum=["finished", "DNF", "DNS", "DQ"])

GenderFilter = query("gender", "Only women (`female`) or men (`male`).", enum=["female", "male"])
AgeGroupFilter = query("age_group", "One age group by its label, as the race lists them (`U18`, `18-29`, `60+`).",
                       maxLength=12)  # fmt: skip
ProvinceFilter = query("province", "A province by its code (`IQ-BG`).", maxLength=8)
Search = query("q", "A bib (`#12`, Arabic-Indic digits too) or a public name in any Arabic spelling; a runner shown "
               "by initials is found by bib only.", maxLength=100)  # fmt: skip
Limit = query("limit", "Rows per page.", type="integer", minimum=1, maximum=500, default=50)
Offset = query("offset", "Rows to skip.", type="integer", minimum=0, default=0)


class Split(TypedDict):
    name: str
    time_ms: int


class ResultItem(TypedDict):
    place: int | None
    gender_place: int | None
    age_group_place: int | None
    bib: int
    name: str
    gender: Literal["female", "male"]
    age_group: str | None
    province: str | None
    country: str | None
    status: ResultStatus
    time: str | None
    time_ms: int | None
    gun_time_ms: int | None
    chip_time_ms: int | None
    pace: str | None
    gap_s: int | None
    splits: list[Split]


class ResultsPage(TypedDict):
    """Finishers by place, then DNF, DQ and DNS unranked; `total` counts the filtered set."""

    race: Race
    total: int
    items: list[ResultItem]


class Correction(TypedDict):
    at: dt.datetime
    bib: int
    change: str
    source: Literal["import", "undo", "correction"]
    reason: str | None


class CorrectedResult(TypedDict):
    bib: int
    status: ResultStatus
    gun_time_ms: int | None
    chip_time_ms: int | None
    time_ms: int | None
    place: int | None
    gender_place: int | None
    age_group: str | None
    age_group_place: int | None
    time: str | None
