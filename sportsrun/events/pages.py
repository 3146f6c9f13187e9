import datetime as dt

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from sportsrun.core.api import PathCode, PathId
from sportsrun.core.locale_middleware import LOCALE_COOKIE
from sportsrun.core.pages import page, safe_next
from sportsrun.events import services
from sportsrun.events.provinces import provinces
from sportsrun.settings import LOCALES


async def _province_names() -> dict[str, dict]:
    return {p["code"]: p for p in await provinces()}


class EventPages(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request) -> Template:
        today = dt.date.today().isoformat()
        events = [e for e in await services.list_events() if e["date"] >= today]
        return page(request, "home.html", events=events[:12], provinces=await _province_names())

    @get("/events")
    async def events(self, request: Request) -> Template:
        names = await _province_names()
        by_province: dict[str, list[dict]] = {}
        for event in await services.list_events():
            by_province.setdefault(event["province"], []).append(event)
        return page(request, "events/list.html", by_province=by_province, provinces=names)

    @get("/events/{event_id:int}")
    async def event(self, request: Request, event_id: PathId) -> Template:
        event = await services.get_event(event_id)
        return page(request, "events/detail.html", event=event, provinces=await _province_names())

    @get("/language/{code:str}")
    async def language(self, code: PathCode, next: FromQuery[str | None] = None) -> Redirect:
        response = Redirect(path=safe_next(next), status_code=303)
        if code in LOCALES:
            response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
        return response
