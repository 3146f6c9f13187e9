"""What the campaigns API answers, as the OpenAPI schema shows it (the handlers build plain dicts of these
shapes, the paged and cached ones as JSON bytes), and the request fields whose exact form it states."""

import datetime as dt
from typing import Annotated, Any, Literal, NotRequired, TypedDict, get_args

import msgspec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import KwargDefinition

from sportsrun.core.web.openapi import query
from sportsrun.events.schemas import Event

Metric = Literal["registrations", "finishers", "provinces", "women_share", "km", "teams"]
# The targets of a campaign's body, read by `campaigns.validation` (localised messages per `targets[n]`).
TargetsField = Annotated[
    list[dict[str, Any]] | msgspec.UnsetType,
    KwargDefinition(schema_extra={"items": Schema(
        type=OpenAPIType.OBJECT, required=["metric", "target"],
        properties={"metric": Schema(type=OpenAPIType.STRING, enum=list(get_args(Metric))),
                    "target": Schema(type=OpenAPIType.NUMBER, minimum=0,
                                     description="`women_share` as a fraction 0–1")})}),
]  # fmt: skip
NameSearch = query("q", "A name as the standings show it, in any Arabic spelling.", maxLength=100)


class Target(TypedDict):
    metric: Metric
    target: float


class Campaign(TypedDict):
    id: int
    name: str
    description: str
    hashtag: str
    best_of: int
    points_table: list[int] | None
    targets: list[Target]


class SeriesRace(TypedDict):
    id: int
    name: str
    distance_m: float
    in_series: bool


class CampaignEvent(Event):
    races: list[SeriesRace]


class CampaignWithEvents(Campaign):
    events: list[CampaignEvent]


class TargetProgress(TypedDict):
    metric: Metric
    target: float
    value: float | None


class TimelinePoint(TypedDict):
    date: dt.date
    registrations: int
    finishers: int


class Progress(TypedDict):
    """Each target with its value (`women_share` a fraction 0–1, null with no finishers); registrations and
    finishers over time, cumulative, one row per event date."""

    targets: list[TargetProgress]
    timeline: list[TimelinePoint]


class ProvinceFigures(TypedDict):
    province: str
    events: int
    registrations: int
    finishers: int
    women_share: float | None
    km: float
    teams: int


class StandingResult(TypedDict):
    race_id: int
    race: str
    place: int
    points: int
    counted: bool


class Standing(TypedDict):
    rank: int
    name: str
    gender: Literal["female", "male"]
    province: str | None
    points: int
    races: int
    results: list[StandingResult]


class Standings(TypedDict):
    total: int
    items: list[Standing]


class Invitation(TypedDict):
    """An invited runner; organisers also get `phone` and `email`."""

    name: str
    gender: Literal["female", "male"]
    province: str | None
    points: int
    reason: Literal["series", "province"]
    phone: NotRequired[str | None]
    email: NotRequired[str | None]
