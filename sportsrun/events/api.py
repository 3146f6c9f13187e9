import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody

from sportsrun.accounts.guards import authenticate, requires_organiser
from sportsrun.core.web.openapi import errors, required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathId, present
from sportsrun.events import services
from sportsrun.events.provinces import provinces
from sportsrun.events.schemas import Day, Event, EventWithRaces, Moment, Province, Race, Ranking, ResultsStatus

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


@required("name", "province", "city", "date")
class EventIn(msgspec.Struct):
    name: str | Unset = UNSET
    name_ar: str | None | Unset = UNSET
    name_ckb: str | None | Unset = UNSET
    name_en: str | None | Unset = UNSET
    province: str | Unset = UNSET
    city: str | Unset = UNSET
    city_ar: str | None | Unset = UNSET
    city_ckb: str | None | Unset = UNSET
    city_en: str | None | Unset = UNSET
    venue: str | None | Unset = UNSET
    date: Day = UNSET
    description: str | None | Unset = UNSET
    campaign_id: int | None | Unset = UNSET
    published: bool | Unset = UNSET


class EventChange(EventIn):
    """A partial update: only the fields given change."""


@required("name", "distance_m", "start_time", "capacity", "bib_first", "bib_last")
class RaceIn(msgspec.Struct):
    name: str | Unset = UNSET
    name_ar: str | None | Unset = UNSET
    name_ckb: str | None | Unset = UNSET
    name_en: str | None | Unset = UNSET
    distance_m: float | Unset = UNSET
    start_time: Moment = UNSET
    capacity: int | Unset = UNSET
    bib_first: int | Unset = UNSET
    bib_last: int | Unset = UNSET
    reserved_bibs: list[int] | None | Unset = UNSET
    registration_opens_at: str | None | Unset = UNSET
    registration_closes_at: str | None | Unset = UNSET
    min_age: int | None | Unset = UNSET
    ranking: Ranking = UNSET
    age_groups: list[list[int | None]] | None | Unset = UNSET
    results_status: ResultsStatus = UNSET
    in_series: bool | Unset = UNSET


class RaceChange(RaceIn):
    """A partial update: only the fields given change."""


async def _is_organiser(request: Request) -> bool:
    user = await authenticate(request)
    return user is not None and user.can("organiser")


class ReferenceApi(Controller):
    path = "/api/v1"
    tags = ["reference"]

    @get("/provinces", summary="Iraq's 19 provinces with Arabic, Kurdish and English names")
    async def list_provinces(self) -> list[Province]:
        return await provinces()


class EventsApi(Controller):
    path = "/api/v1"
    tags = ["events and races"]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/events", guards=[requires_organiser], status_code=201)
    async def create_event(self, data: JSONBody[EventIn]) -> EventWithRaces:
        return await services.create_event(present(data))

    @get("/events", summary="Published events (organisers see drafts too)")
    async def list_events(self, request: Request) -> list[Event]:
        return await services.list_events(include_unpublished=await _is_organiser(request))

    @get("/events/{event_id:int}")
    async def get_event(self, request: Request, event_id: PathId) -> EventWithRaces:
        return await services.get_event(event_id, include_unpublished=await _is_organiser(request))

    @patch("/events/{event_id:int}", guards=[requires_organiser])
    async def update_event(self, event_id: PathId, data: JSONBody[EventChange]) -> EventWithRaces:
        return await services.update_event(event_id, present(data))

    @post("/events/{event_id:int}/races", guards=[requires_organiser], status_code=201)
    async def create_race(self, request: Request, event_id: PathId, data: JSONBody[RaceIn]) -> Race:
        return await services.create_race(event_id, present(data), request.user.id)

    @get("/races/{race_id:int}")
    async def get_race(self, request: Request, race_id: PathId) -> Race:
        return await services.get_race(race_id, public=not await _is_organiser(request))

    @patch("/races/{race_id:int}", guards=[requires_organiser], responses=errors(409))
    async def update_race(self, request: Request, race_id: PathId, data: JSONBody[RaceChange]) -> Race:
        return await services.update_race(race_id, present(data), request.user.id)
