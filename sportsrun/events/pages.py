import datetime as dt

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery
from litestar.response import Redirect

from sportsrun.core.i18n import current_locale
from sportsrun.core.localised import localised
from sportsrun.core.web.forms import absolute, safe_next
from sportsrun.core.web.locale import LOCALE_COOKIE
from sportsrun.core.web.params import PathCode, PathId
from sportsrun.core.web.share import share_links
from sportsrun.core.web.templating import render
from sportsrun.events import calendar, hooks, services
from sportsrun.events.provinces import province_names
from sportsrun.settings import LOCALES


class EventPages(Controller):
    include_in_schema = False

    @get("/")
    async def home(self, request: Request) -> Response:
        today = dt.date.today().isoformat()
        events = [e for e in await services.list_events() if e["date"] >= today]
        campaigns = [c for answer in await hooks.home_campaigns.send() for c in answer]
        return render(request, "home.html", events=events[:12], province_names=await province_names(),
                      campaigns=campaigns)  # fmt: skip

    @get("/events")
    async def events(self, request: Request) -> Response:
        names = await province_names()
        by_province: dict[str, list[dict]] = {}
        for event in await services.list_events():
            by_province.setdefault(event["province"], []).append(event)
        ordered = sorted(by_province.items(), key=lambda item: names.get(item[0], item[0]))
        return render(request, "events/list.html", by_province=ordered, province_names=names)

    @get("/events/{event_id:int}")
    async def event(self, request: Request, event_id: PathId) -> Response:
        event = await services.get_event(event_id)
        podiums = await services.podiums([r["id"] for r in event["races"]])
        # A shared event shows its campaign's card (the campaign's page draws it in the page's language).
        campaign = event["campaign_id"]
        card = absolute(f"/campaigns/{campaign}/card-{current_locale.get()}.png") if campaign else None
        page_url = absolute(f"/events/{event_id}")
        return render(request, "events/detail.html", event=event, province_names=await province_names(),
                      podiums=podiums, page_url=page_url, card_url=card,
                      share=share_links(page_url, localised(event)))  # fmt: skip

    @get("/events/{event_id:int}/calendar.ics")
    async def calendar_file(self, event_id: PathId) -> Response:
        """The event's races for a calendar app, in the visitor's language (names of places are translated)."""
        event = await services.get_event(event_id)
        province = (await province_names()).get(event["province"], event["province"])
        body = calendar.calendar(event, province, absolute(f"/events/{event_id}"))
        return Response(body, media_type=calendar.MEDIA_TYPE, headers={
            "Content-Disposition": f'inline; filename="event-{event_id}.ics"',
            "Cache-Control": "public, max-age=300", "Vary": "Accept-Language, Cookie"})  # fmt: skip

    @get("/language/{code:str}")
    async def language(self, code: PathCode, next: FromQuery[str | None] = None) -> Redirect:
        response = Redirect(path=safe_next(next), status_code=303)
        if code in LOCALES:
            response.set_cookie(LOCALE_COOKIE, code, max_age=365 * 86400, samesite="lax", httponly=True)
        return response
