"""Organiser pages for events and races: the dashboard, and creating, editing and publishing."""

import datetime as dt
import re

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect

from sportsrun.accounts.guards import page_requires, signed_in
from sportsrun.core.errors import Conflict, FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.core.localised import language_fields
from sportsrun.core.text.characters import western_digits
from sportsrun.core.web.forms import NO_STORE, form_values, see_other
from sportsrun.core.web.params import PathId
from sportsrun.core.web.templating import render
from sportsrun.events import services
from sportsrun.events.age_groups import label
from sportsrun.events.campaigns import all_campaigns
from sportsrun.events.provinces import province_names

Form = URLEncodedBody[dict[str, str]]
IRAQ = "+03:00"  # Iraq keeps UTC+3 all year; a race abroad can be given another offset through the API.
_GROUP = re.compile(r"^\s*(?:U(\d+)|(\d+)\s*\+|(\d+)\s*[-–]\s*(\d+))\s*$", re.IGNORECASE)
# After a save, the page says so (post/redirect/get: the redirect carries it).
SAVED = "?saved=1"
# The race form always shows these: absent from a post means unticked (the API's absent means unchanged).
RACE_CHECKBOXES = ("in_series",)
# Form fields that carry another name in the API.
_FIELD_NAMES = {"distance_m": "distance_km"}


def _local(value: str | None) -> str:
    """An ISO date-time with offset as a datetime-local input shows it."""
    return value[:16] if value else ""


def _with_offset(value: str | None, offset: str) -> str | None:
    value = western_digits(value or "").strip()
    return f"{value}{offset}" if value else None


def parse_age_groups(text: str) -> list | str | None:
    """ "U18, 18-29, 30-39, 60+" as organisers write them → [[0, 17], [18, 29], [30, 39], [60, None]]."""
    groups = []
    for part in filter(None, (p.strip() for p in re.split(r"[,،\n]", western_digits(text or "")))):
        m = _GROUP.match(part)
        if not m:
            return part
        under, plus, low, high = m.groups()
        groups.append([0, int(under) - 1] if under else [int(plus), None] if plus else [int(low), int(high)])
    return groups or None


def race_from_form(values: dict, offset: str = IRAQ) -> dict:
    """The API's race fields from the organiser's form."""
    data = {k: values.get(k) for k in ("name", "capacity", "bib_first", "bib_last", "reserved_bibs", "min_age",
                                        "ranking", "results_status", "in_series")}  # fmt: skip
    data.update({k: values[k] for k in language_fields("name") if k in values})
    km = western_digits(values.get("distance_km") or "").replace(",", ".").strip()
    try:
        data["distance_m"] = round(float(km) * 1000, 1) if km else None
    except ValueError:
        data["distance_m"] = km
    data["start_time"] = _with_offset(values.get("start_time"), offset)
    data["registration_opens_at"] = _with_offset(values.get("registration_opens_at"), offset)
    data["registration_closes_at"] = _with_offset(values.get("registration_closes_at"), offset)
    return data


def race_to_form(race: dict) -> dict:
    return {
        **{k: race[k] for k in ("name", "capacity", "bib_first", "bib_last", "min_age", "ranking", "results_status")},
        **{k: race[k] or "" for k in language_fields("name")},
        "distance_km": f"{race['distance_m'] / 1000:g}",
        "start_time": _local(race["start_time"]),
        "registration_opens_at": _local(race["registration_opens_at"]),
        "registration_closes_at": _local(race["registration_closes_at"]),
        "reserved_bibs": ", ".join(str(b) for b in race["reserved_bibs"]),
        "age_groups": ", ".join(label((low, high)) for low, high in race["age_groups"]),
        "in_series": "on" if race["in_series"] else "off",
    }


def _form_errors(exc: InvalidInput) -> InvalidInput:
    return InvalidInput([FieldError(_FIELD_NAMES.get(e.field, e.field), e.message) for e in exc.errors], exc.detail)


class OrganiserEventPages(Controller):
    path = "/organiser"
    include_in_schema = False
    guards = [page_requires("organiser")]

    @get("/")
    async def dashboard(self, request: Request) -> Response:
        events = await services.with_races(await services.list_events(include_unpublished=True))
        return render(request, "organiser/dashboard.html", headers=NO_STORE, events=events,
                      province_names=await province_names(), me=signed_in(request))  # fmt: skip

    async def _event_form(self, request: Request, event: dict | None, values: dict, status_code=200, errors=None,
                          saved=False):  # fmt: skip
        campaigns = [(c["id"], c["name"]) for c in await all_campaigns()]
        return render(request, "organiser/event_form.html", status_code=status_code, headers=NO_STORE,
                      event=event, values=values, errors=errors, province_names=await province_names(),
                      saved=saved, campaigns=campaigns)  # fmt: skip

    @get("/events/new")
    async def new_event(self, request: Request, campaign_id: FromQuery[str] = "") -> Response:
        values = {"date": (dt.date.today() + dt.timedelta(days=30)).isoformat(), "campaign_id": campaign_id}
        return await self._event_form(request, None, values)

    @post("/events/new")
    async def create_event(self, request: Request, data: Form) -> Response | Redirect:
        values = form_values(data, ("published",))
        try:
            event = await services.create_event(values)
        except InvalidInput as exc:
            return await self._event_form(request, None, values, 422, exc)
        return see_other(f"/organiser/events/{event['id']}{SAVED}")

    @get("/events/{event_id:int}")
    async def event(self, request: Request, event_id: PathId, saved: FromQuery[str] = "") -> Response:
        event = await services.get_event(event_id, include_unpublished=True)
        values = {**event, "published": "on" if event["published"] else ""}
        return await self._event_form(request, event, values, saved=saved == "1")

    @post("/events/{event_id:int}")
    async def update_event(self, request: Request, event_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data, ("published",))
        try:
            await services.update_event(event_id, values)
        except InvalidInput as exc:
            event = await services.get_event(event_id, include_unpublished=True)
            return await self._event_form(request, event, values, 422, exc)
        return see_other(f"/organiser/events/{event_id}{SAVED}")

    async def _race_form(self, request, event_id: int, race: dict | None, values: dict, status_code=200, errors=None):
        event = await services.get_event(event_id, include_unpublished=True)
        return render(request, "organiser/race_form.html", status_code=status_code, headers=NO_STORE,
                      event=event, race=race, values=values, errors=errors)  # fmt: skip

    @get("/events/{event_id:int}/races/new")
    async def new_race(self, request: Request, event_id: PathId) -> Response:
        event = await services.get_event(event_id, include_unpublished=True)
        start = f"{event['date']}T07:30"
        return await self._race_form(request, event_id, None, {
            "start_time": start, "ranking": "gun", "results_status": "provisional", "bib_first": 1,
            "age_groups": "U18, 18-29, 30-39, 40-49, 50-59, 60+", "in_series": "on",
        })  # fmt: skip

    @staticmethod
    def _race_values(values: dict, offset: str = IRAQ) -> dict:
        data = race_from_form(values, offset)
        groups = parse_age_groups(values.get("age_groups", ""))
        if isinstance(groups, str):
            raise InvalidInput([FieldError("age_groups", _age_group_message(groups))])
        data["age_groups"] = groups
        return data

    @post("/events/{event_id:int}/races/new")
    async def create_race(self, request: Request, event_id: PathId, data: Form) -> Response | Redirect:
        values = form_values(data, RACE_CHECKBOXES)
        try:
            await services.create_race(event_id, self._race_values(values), signed_in(request).id)
        except InvalidInput as exc:
            return await self._race_form(request, event_id, None, values, 422, _form_errors(exc))
        return see_other(f"/organiser/events/{event_id}{SAVED}")

    @get("/races/{race_id:int}")
    async def race(self, request: Request, race_id: PathId) -> Response:
        race = await services.get_race(race_id)
        return await self._race_form(request, race["event_id"], race, race_to_form(race))

    @post("/races/{race_id:int}")
    async def update_race(self, request: Request, race_id: PathId, data: Form) -> Response | Redirect:
        current = await services.load_race(race_id)
        values = form_values(data, RACE_CHECKBOXES)
        offset = current.local(current.start_time)[-6:]  # keep the race's own offset
        try:
            await services.update_race(race_id, self._race_values(values, offset), signed_in(request).id)
        except InvalidInput as exc:
            race = await services.get_race(race_id)
            return await self._race_form(request, race["event_id"], race, values, 422, _form_errors(exc))
        except Conflict as exc:
            race = await services.get_race(race_id)
            return await self._race_form(request, race["event_id"], race, values, 409,
                                         InvalidInput([], detail=exc.detail))  # fmt: skip
        return see_other(f"/organiser/events/{current.event_id}{SAVED}")


def _age_group_message(part: str) -> str:
    return _("Write age groups like U18, 18-29, 30-39, 60+ (could not read “{part}”).", part=part)
